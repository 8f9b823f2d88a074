/**
 * Runs in the page's own (MAIN) world. The same-origin URLs this tab had
 * paid on the site (a GET the site answered 402, then Drip paid, 2xx),
 * with the challenge that 402 carried: the next GET of the same URL goes
 * straight to Drip with it, instead of asking the site first only to be
 * told 402 again. Drip checks it as it checks any hand-over (the page could
 * always hand over any challenge); a site that no longer takes it answers
 * Drip's paid request 402 with a new one, and Drip pays on that. Bounded,
 * forgotten as soon as Drip does not pay, and not used once the challenge
 * is about to expire (Drip would refuse it, and the page would keep the
 * site's 402).
 *
 * Only URLs paid by the unit (a session's voucher, which the site asks for
 * each time): a one-shot charge is paid only when the site asks, since a
 * site may serve what was bought without a second 402.
 *
 * Kept for the tab, not only the page (`tabMemory.ts`): a reload or the
 * site's next page skips the 402 of a URL an earlier page paid, a whole
 * round trip to the site before its first word or photo.
 */
import { challengeExpiryMarginMs } from '@/lib/shared/challengeExpiry'
import type { TabMemory } from './tabMemory'

export const maxPaidUrls = 64

type Kept = { challenge: string; until: number }

export class PaidUrls {
  private readonly challenges = new Map<string, Kept>()
  private loaded = false

  /**
   * `base`: the page's URL, against which relative URLs resolve (`document.baseURI`); `tab`: where the URLs are kept
   * for the tab's next pages, read once when the page first asks.
   */
  constructor(
    private readonly base: () => string,
    private readonly tab?: TabMemory,
    private readonly now: () => number = Date.now,
  ) {}

  /** The challenge to hand over at once for a GET of `url` (absolute), or undefined: ask the site. */
  challengeFor(url: string, method: string): string | undefined {
    return method === 'GET' ? this.current(url) : undefined
  }

  /**
   * The kept challenge for the page's `fetch(input, init)`, read without building a Request (which would take a
   * streamed body the browser then cannot send): a bodiless GET of a kept URL, else undefined. Nothing kept, nothing read.
   */
  challengeForFetch(input: RequestInfo | URL, init: RequestInit | undefined): string | undefined {
    this.load()
    if (this.challenges.size === 0) return undefined
    const request = input instanceof Request ? input : undefined
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase()
    if (method !== 'GET' || (init?.body ?? request?.body ?? null) !== null) return undefined
    const url = request ? request.url : URL.canParse(String(input), this.base()) ? new URL(String(input), this.base()).href : undefined
    return url === undefined ? undefined : this.current(url)
  }

  /** A GET of `url` was paid with `challenge`: kept if the URL is the page's own origin's and the challenge a session's. */
  remember(url: string, method: string, challenge: string | null) {
    if (method !== 'GET' || !challenge || !asksForUnits(challenge) || !this.isOwn(url)) return
    this.load()
    this.challenges.delete(url)
    if (this.keep(url, challenge)) this.save()
  }

  forget(url: string) {
    if (this.challenges.delete(url)) this.save()
  }

  /** The site pays no more (the reader revoked it): nothing is kept, in the page or for the tab, and nothing is read again. */
  forgetAll() {
    this.challenges.clear()
    this.loaded = true
    this.tab?.clear()
  }

  /** The kept challenge for `url` while it may still be handed over. */
  private current(url: string): string | undefined {
    const kept = this.challenges.get(url)
    if (!kept || kept.until > this.now()) return kept?.challenge
    this.forget(url)
    return undefined
  }

  /** Keeps `challenge` for `url` unless it is about to expire; the oldest goes first. True when kept. */
  private keep(url: string, challenge: string): boolean {
    const until = expiryOf(challenge) - challengeExpiryMarginMs
    if (!(until > this.now())) return false
    this.challenges.set(url, { challenge, until })
    if (this.challenges.size > maxPaidUrls) this.challenges.delete(this.challenges.keys().next().value!)
    return true
  }

  /** What the tab's earlier pages kept, once: a page's own later payments come after them. */
  private load() {
    if (this.loaded || !this.tab?.inUse()) return
    this.loaded = true
    const stored = this.tab.read()
    if (!Array.isArray(stored)) return
    for (const pair of stored.slice(-maxPaidUrls)) {
      if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') continue
      const [url, challenge] = pair as [string, string]
      if (!this.challenges.has(url) && asksForUnits(challenge) && this.isOwn(url)) this.keep(url, challenge)
    }
  }

  private save() {
    this.tab?.write([...this.challenges].map(([url, kept]) => [url, kept.challenge]))
  }

  private isOwn(url: string): boolean {
    return URL.canParse(url) && new URL(url).origin === new URL(this.base()).origin
  }
}

/** One auth-param of a `WWW-Authenticate` value: its name follows the start, a space or a comma (a quoted base64 value holds none of those). */
const param = (name: string) => new RegExp(`(?:^|[\\s,])${name}\\s*=\\s*"?([^",\\s]*)`, 'g')

/**
 * True when every challenge in the `WWW-Authenticate` value `header` asks for a session (paid by the unit, with a
 * voucher) and none for a one-shot charge.
 */
export function asksForUnits(header: string): boolean {
  const intents = [...header.matchAll(param('intent'))].map((match) => match[1]!.toLowerCase())
  return intents.length > 0 && intents.every((intent) => intent === 'session')
}

/** When the challenge expires (the earliest of its `expires`), in ms since the epoch; never when it says none. */
export function expiryOf(header: string): number {
  const times = [...header.matchAll(param('expires'))].map((match) => Date.parse(match[1]!))
  if (times.some(Number.isNaN)) return Number.NEGATIVE_INFINITY
  return times.length ? Math.min(...times) : Number.POSITIVE_INFINITY
}
