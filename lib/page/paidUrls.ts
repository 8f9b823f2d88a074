/**
 * Runs in the page's own (MAIN) world. The same-origin URLs this document
 * had paid (a GET the site answered 402, then Drip paid, 2xx), with the
 * challenge that 402 carried: the next GET of the same URL goes straight
 * to Drip with it, instead of asking the site first only to be told 402
 * again. Drip checks it as it checks any hand-over (the page could always
 * hand over any challenge); a site that no longer takes it answers Drip's
 * paid request 402 with a new one, and Drip pays on that. Bounded, and
 * forgotten as soon as Drip does not pay.
 */
export const maxPaidUrls = 64

export class PaidUrls {
  private readonly challenges = new Map<string, string>()

  /** `base`: the page's URL, against which relative URLs resolve (`document.baseURI`). */
  constructor(private readonly base: () => string) {}

  /** The challenge to hand over at once for a GET of `url` (absolute), or undefined: ask the site. */
  challengeFor(url: string, method: string): string | undefined {
    return method === 'GET' ? this.challenges.get(url) : undefined
  }

  /**
   * The kept challenge for the page's `fetch(input, init)`, read without building a Request (which would take a
   * streamed body the browser then cannot send): a bodiless GET of a kept URL, else undefined. Nothing kept, nothing read.
   */
  challengeForFetch(input: RequestInfo | URL, init: RequestInit | undefined): string | undefined {
    if (this.challenges.size === 0) return undefined
    const request = input instanceof Request ? input : undefined
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase()
    if (method !== 'GET' || (init?.body ?? request?.body ?? null) !== null) return undefined
    const url = request ? request.url : URL.canParse(String(input), this.base()) ? new URL(String(input), this.base()).href : undefined
    return url === undefined ? undefined : this.challenges.get(url)
  }

  /** A GET of `url` was paid with `challenge`: kept if the URL is the page's own origin's. */
  remember(url: string, method: string, challenge: string | null) {
    if (method !== 'GET' || !challenge || !URL.canParse(url) || new URL(url).origin !== new URL(this.base()).origin) return
    this.challenges.delete(url)
    this.challenges.set(url, challenge)
    // The oldest goes first.
    if (this.challenges.size > maxPaidUrls) this.challenges.delete(this.challenges.keys().next().value!)
  }

  forget(url: string) {
    this.challenges.delete(url)
  }
}
