/**
 * Challenges Drip read itself for a declared stream's URL, kept so the next
 * stream of that URL skips the site's 402 round trip. mppx's challenges are
 * stateless (an HMAC over their fields, checked by the site) and live five
 * minutes by default, so one challenge serves several streams.
 *
 * A kept challenge is only a shortcut: it goes through the same firewall and
 * policy as a new one, it is used only on a channel that is already open
 * (an open is always signed on a challenge just read), and a site that
 * refuses it answers 402 with its current challenge, on which the same unit
 * is offered again (`driver.ts`). In memory only, for one worker's life,
 * bounded.
 */
import { challengeExpiryMarginMs } from '@/lib/shared/challengeExpiry'

/** The longest a challenge is reused, whatever its expiry says. */
export const reuseMs = 60_000
export const maxKept = 50

type Kept = { key: string; header: string; until: number }

export class FreshChallenges {
  private kept: Kept[] = []

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Keeps the challenge (its `WWW-Authenticate` value) `origin`'s page was offered for `url`. */
  keep(origin: string, url: string, header: string, expires: Date | undefined) {
    const now = this.now()
    const until = Math.min(now + reuseMs, expires ? expires.getTime() - challengeExpiryMarginMs : now + reuseMs)
    const key = keyOf(origin, url)
    this.kept = this.kept.filter((kept) => kept.key !== key)
    if (until <= now) return
    this.kept.unshift({ key, header, until })
    this.kept.splice(maxKept)
  }

  /** The kept challenge for `url` on `origin`'s page, while it may still be reused. */
  get(origin: string, url: string): string | undefined {
    const key = keyOf(origin, url)
    const now = this.now()
    return this.kept.find((kept) => kept.key === key && now < kept.until)?.header
  }

  forget(origin: string, url: string) {
    const key = keyOf(origin, url)
    this.kept = this.kept.filter((kept) => kept.key !== key)
  }
}

function keyOf(origin: string, url: string): string {
  return `${origin} ${url}`
}
