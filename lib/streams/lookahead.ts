/**
 * The money rule of paid streams, as pure functions: a stream may have
 * signed at most what it earned (every message delivered, plus the unit
 * about to be sent) plus the reader's sign-ahead, and never past the cap.
 */
import { min, type RawAmount } from '@/lib/shared/amounts'

export type StreamPosition = {
  /** What the channel carried before this stream's first unit (other pages and streams of the site). */
  base: RawAmount
  price: RawAmount
  /** Messages delivered so far. */
  delivered: number
  /** Units the reader lets Drip sign beyond delivery. */
  lookaheadUnits: number
  cap: RawAmount
}

/** The reader's sign-ahead until they change it: $0.01, ten words at $0.001 or one photo at $0.01. */
export const defaultSignAhead = 10_000n

/** $1: the most the reader can let Drip sign ahead, by default or for one site. */
export const maxSignAhead = 1_000_000n

/** The sign-ahead amount that holds for a site: its own if the reader set one in Sites, else the reader's default. */
export function signAheadFor(site: { signAhead?: string }, readerDefault: RawAmount): RawAmount {
  return site.signAhead === undefined ? readerDefault : BigInt(site.signAhead)
}

/** The most units a stream signs ahead, whatever the amount: a site pricing in dust cannot make Drip sign without end. */
export const maxLookaheadUnits = 1_000

/** Units that the reader's sign-ahead amount buys at `price` (whole units, never more than `maxLookaheadUnits`). */
export function unitsAhead(signAhead: RawAmount, price: RawAmount): number {
  if (price <= 0n || signAhead <= 0n) return 0
  return Number(min(signAhead / price, BigInt(maxLookaheadUnits)))
}

/** Everything delivered plus the unit about to be sent. */
export function earned(position: StreamPosition): RawAmount {
  return position.base + position.price * BigInt(position.delivered + 1)
}

/** The most this stream may have signed right now. */
export function bound(position: StreamPosition): RawAmount {
  return min(earned(position) + position.price * BigInt(position.lookaheadUnits), position.cap)
}

export type NeedVoucherAnswer = { kind: 'sign'; cumulative: RawAmount } | { kind: 'ahead'; earned: RawAmount } | { kind: 'cap' }

/**
 * The site asks for `required` (its `payment-need-voucher`): sign what is
 * asked plus the lookahead, up to the bound; refuse a site that asks past
 * what it delivered; stop at the cap.
 */
export function answerNeedVoucher(position: StreamPosition, required: RawAmount): NeedVoucherAnswer {
  const due = earned(position)
  if (required > due) return { kind: 'ahead', earned: due }
  if (required > position.cap) return { kind: 'cap' }
  return { kind: 'sign', cumulative: min(required + position.price * BigInt(position.lookaheadUnits), bound(position)) }
}

/**
 * With a lookahead of 2 or more, sign the next window once half the current
 * one is used, so the site never has to stop and ask: up to what was
 * delivered plus the lookahead (the unit about to be sent is the site's to
 * ask for), never past the cap. Undefined: nothing to sign yet.
 */
export function refillTarget(position: StreamPosition, signed: RawAmount): RawAmount | undefined {
  if (position.lookaheadUnits < 2) return undefined
  const window = position.price * BigInt(position.lookaheadUnits)
  const delivered = position.base + position.price * BigInt(position.delivered)
  if (signed - delivered > window / 2n) return undefined
  const target = min(delivered + window, position.cap)
  return target > signed ? target : undefined
}
