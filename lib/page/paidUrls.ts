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

  constructor(private readonly pageOrigin: () => string) {}

  /** The challenge to hand over at once for a GET of `url` (absolute), or undefined: ask the site. */
  challengeFor(url: string, method: string): string | undefined {
    return method === 'GET' ? this.challenges.get(url) : undefined
  }

  /** A GET of `url` was paid with `challenge`: kept if the URL is the page's own origin's. */
  remember(url: string, method: string, challenge: string | null) {
    if (method !== 'GET' || !challenge || !URL.canParse(url) || new URL(url).origin !== this.pageOrigin()) return
    this.challenges.delete(url)
    this.challenges.set(url, challenge)
    // The oldest goes first.
    if (this.challenges.size > maxPaidUrls) this.challenges.delete(this.challenges.keys().next().value!)
  }

  forget(url: string) {
    this.challenges.delete(url)
  }
}
