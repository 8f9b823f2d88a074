/**
 * Per-site approvals and the decisions made with them, as pure functions.
 * A site is its page origin and its payee (recipient, currency, chain); the
 * reader approves it once with a cap (the most it may ever take) and a
 * per-payment limit (the most one unit or one one-time payment may cost).
 * Then every unit type, price and one-shot charge of that payee within both
 * is paid with no click, as MetaMask's spending cap and Alby's budget do:
 * the limit is what stops "$4.50 for one word", the cap what stops a
 * thousand words. A payment above the limit, another payee, or another
 * origin's API is a new pending request, never a signature. A price that
 * rises against the first one seen is paid within the limit and told
 * (`priceNews`). One-shot charges spend the same cap: what they took is not
 * left for the site's channel.
 */
import { type Address, isAddressEqual } from 'viem'
import { formatDollars, formatDollarsBeside, formatLimit, max, min, type RawAmount, type RawAmountString } from '@/lib/shared/amounts'
import { RefusedError } from './challenge'
import { oneTimeUnit, priceText } from './units'
import { maxSignAhead } from '@/lib/streams/lookahead'

export type Approval = {
  /** The page origin the reader approved. */
  origin: string
  /** The price of each unit type (and one-time payment) first seen from this payee, to tell the reader when one rises. */
  prices: Record<string, RawAmountString>
  /** Lifetime cap of what the site may take: its channel's cumulative plus its one-shot charges. */
  maxDeposit: RawAmountString
  recipient: Address
  currency: Address
  chainId: number
  /** The most a single payment (one unit, or one one-time payment) may cost without asking again. */
  perPaymentLimit: RawAmountString
  /** Other origins (the page's APIs) the reader approved this page to pay, by name. Absent in records from before. */
  apiOrigins?: string[]
  /** One-shot charges signed under this approval, in total; they count against `maxDeposit`. Absent: none. */
  charged?: RawAmountString
  /** The reader paused the site: nothing is paid, the approval and its budget stay. */
  paused?: boolean
  /** How much streams of this site may sign beyond delivery, as the reader set it in Sites. Absent: the reader's default. */
  signAhead?: RawAmountString
  grantedAt: number
}

/**
 * What a site asks for, from a live challenge, a pending request or an
 * approval. `resourceOrigin`: the origin paid, when it is not the page's
 * own (a page calling another site's paid API).
 */
export type Terms = { amount: RawAmount; unitType: string; recipient: Address; currency: Address; chainId: number; resourceOrigin?: string }


export type Decision = { kind: 'pay'; approval: Approval } | { kind: 'ask'; reason: string | undefined }

/** Pay under the approval, or ask the reader (no approval, or the site changed a pinned term). */
export function decide(terms: Terms, approval: Approval | undefined): Decision {
  if (!approval) return { kind: 'ask', reason: undefined }
  const changed = changedTerm(terms, approval)
  return changed ? { kind: 'ask', reason: changed } : { kind: 'pay', approval }
}

/** Why these terms are not the approved ones, in words, or undefined when they are. */
export function changedTerm(terms: Terms, approval: Approval): string | undefined {
  const site = approval.origin
  if (terms.resourceOrigin !== undefined && terms.resourceOrigin !== site && !(approval.apiOrigins ?? []).includes(terms.resourceOrigin))
    return `${site} asks Drip to pay ${terms.resourceOrigin}, another site, which you have not approved for it.`
  if (terms.chainId !== approval.chainId) return `${site} now asks for chain ${terms.chainId}, but you approved chain ${approval.chainId}.`
  if (!isAddressEqual(terms.recipient, approval.recipient)) return `${site} now asks to pay ${terms.recipient}, but you approved ${approval.recipient}.`
  if (!isAddressEqual(terms.currency, approval.currency)) return `${site} now asks for currency ${terms.currency}, but you approved ${approval.currency}.`
  const limit = BigInt(approval.perPaymentLimit)
  if (terms.amount <= limit) return undefined
  return `${site} asks ${paymentText(terms.unitType, formatDollarsBeside(terms.amount, limit))}, above your limit of ${formatLimit(limit)} for a single payment.`
}

/** "$0.005 for one word", or "a one-time payment of $0.50". */
function paymentText(unitType: string, price: string): string {
  return unitType === oneTimeUnit ? `a one-time payment of ${price}` : `${price} for one ${unitType}`
}

/**
 * What the reader should hear about a payment the approval covers: a unit
 * type (or one-time payment) first seen, or a price above the first one
 * seen. Undefined when the price is one the reader already knows (or lower).
 * `approval` is what to store so that it is told once.
 */
export function priceNews(terms: Pick<Terms, 'amount' | 'unitType'>, approval: Approval): { text: string; approval: Approval } | undefined {
  const known = Object.hasOwn(approval.prices, terms.unitType) ? approval.prices[terms.unitType] : undefined
  if (known !== undefined && terms.amount <= BigInt(known)) return undefined
  const text =
    known === undefined
      ? `${approval.origin} now also charges ${priceText(terms.amount, terms.unitType)}, within your limit of ${formatLimit(approval.perPaymentLimit)} a payment.`
      : `${approval.origin} now charges ${priceText(terms.amount, terms.unitType)}, was ${formatDollars(known)}.`
  return { text, approval: { ...approval, prices: { ...approval.prices, [terms.unitType]: terms.amount.toString() } } }
}

/** A paused site is paid nothing until the reader resumes it. */
export function assertNotPaused(approval: Approval) {
  if (approval.paused) throw new RefusedError('paused', `${approval.origin} is paused in Drip. Resume it from Drip's Sites list to pay it.`)
}

/** What the site's channel may carry: the cap less what its one-shot charges took. */
export function channelCap(approval: Approval): RawAmount {
  const cap = BigInt(approval.maxDeposit)
  const charged = BigInt(approval.charged ?? '0')
  return cap > charged ? cap - charged : 0n
}

/** Before any voucher: the channel's cumulative plus the site's charges may never pass the approved cap. */
export function assertWithinApproval(cumulative: RawAmount, approval: Approval) {
  assertTotal(cumulative + BigInt(approval.charged ?? '0'), approval)
}

/** Before a one-shot charge: it, the site's earlier charges and its channel's cumulative may never pass the approved cap. */
export function assertChargeWithinApproval(amount: RawAmount, channelCumulative: RawAmount, approval: Approval) {
  assertTotal(amount + channelCumulative + BigInt(approval.charged ?? '0'), approval)
}

function assertTotal(total: RawAmount, approval: Approval) {
  const cap = BigInt(approval.maxDeposit)
  if (total > cap)
    throw new RefusedError(
      'cap',
      `Paying this would bring ${approval.origin} to ${formatDollarsBeside(total, cap)}, beyond the ${formatLimit(cap)} you approved. Raise the approval in Drip to continue.`,
    )
}

/**
 * The approval to store when the reader grants `granted` over `current`:
 * for the same recipient, currency and chain, the charges already counted
 * stay counted (one may have been signed since the popup read the approval).
 */
export function keepCharges(granted: Approval, current: Approval | undefined): Approval {
  if (!current || current.chainId !== granted.chainId || !isAddressEqual(current.recipient, granted.recipient) || !isAddressEqual(current.currency, granted.currency)) return granted
  const charged = [BigInt(granted.charged ?? '0'), BigInt(current.charged ?? '0')].reduce((a, b) => (a > b ? a : b))
  return charged === 0n && granted.charged === undefined ? granted : { ...granted, charged: charged.toString() }
}

/** The approval after a one-shot charge of `amount`. */
export function withCharge(approval: Approval, amount: RawAmount): Approval {
  return { ...approval, charged: (BigInt(approval.charged ?? '0') + amount).toString() }
}

/** Whether these terms are for the same recipient, currency and chain as the approval (only the unit or price differs). */
export function sameSite(terms: Terms, approval: Approval): boolean {
  return terms.chainId === approval.chainId && isAddressEqual(terms.recipient, approval.recipient) && isAddressEqual(terms.currency, approval.currency)
}

export function sameTerms(a: Terms, b: Terms): boolean {
  return (
    a.amount === b.amount &&
    a.unitType === b.unitType &&
    a.resourceOrigin === b.resourceOrigin &&
    a.chainId === b.chainId &&
    isAddressEqual(a.recipient, b.recipient) &&
    isAddressEqual(a.currency, b.currency)
  )
}

/**
 * The approval the reader grants for these terms. If the site already has
 * an approval for the same recipient, currency and chain, the new price
 * joins the ones seen; otherwise the new terms replace the old approval's
 * pins. Either way approving a request never lowers the site's cap or its
 * per-payment limit (a purchase pre-filled at its price must not cut the
 * cap of the site's channel): only the reader's own change in Sites lowers
 * the cap (`withMaxDeposit`). Without a typed limit, the request's own
 * price is the limit.
 */
export function approvalFor(
  terms: Terms,
  origin: string,
  input: { maxDeposit: RawAmount; perPaymentLimit?: RawAmount },
  existing?: Approval,
  now = Date.now(),
): Approval {
  const maxDeposit = existing ? max(BigInt(existing.maxDeposit), input.maxDeposit) : input.maxDeposit
  const perPaymentLimit = max(input.perPaymentLimit ?? terms.amount, existing ? BigInt(existing.perPaymentLimit) : 0n)
  if (maxDeposit < terms.amount) throw new Error(`The most ${origin} may spend must cover at least this payment (${paymentText(terms.unitType, formatDollarsBeside(terms.amount, maxDeposit))}).`)
  if (perPaymentLimit < terms.amount) throw new Error(`The limit for a single payment is below what ${origin} asks: ${paymentText(terms.unitType, formatDollarsBeside(terms.amount, perPaymentLimit))}.`)
  if (perPaymentLimit > maxDeposit) throw new Error(`The limit for a single payment cannot be above the most ${origin} may spend.`)
  const same = existing !== undefined && sameSite(terms, existing)
  const kept = same ? existing.prices : {}
  const apiOrigins = [...new Set([...(same ? (existing.apiOrigins ?? []) : []), ...(terms.resourceOrigin && terms.resourceOrigin !== origin ? [terms.resourceOrigin] : [])])]
  return {
    origin,
    prices: { ...kept, [terms.unitType]: terms.amount.toString() },
    ...(apiOrigins.length ? { apiOrigins } : {}),
    maxDeposit: maxDeposit.toString(),
    recipient: terms.recipient,
    currency: terms.currency,
    chainId: terms.chainId,
    perPaymentLimit: perPaymentLimit.toString(),
    ...(same ? { charged: existing.charged ?? '0' } : {}),
    ...(same && existing.signAhead !== undefined ? { signAhead: existing.signAhead } : {}),
    grantedAt: now,
  }
}

/**
 * A site's session challenge read again mid-payment (a 402 to a management
 * POST, or to a stream's first request on a reused challenge) is signed on
 * only if it names the same terms and escrow as the one approved and paid.
 */
export function assertSameSession(current: Terms & { escrow: Address }, paid: Terms & { escrow: Address }, origin: string) {
  if (!sameTerms(current, paid) || !isAddressEqual(current.escrow, paid.escrow))
    throw new RefusedError('termsChanged', `${origin} changed its terms mid-payment; nothing more was signed.`)
}

/**
 * The same approval with another cap (the reader's own change in Sites): the
 * pinned terms stay, and the per-payment limit stays unless the new cap is
 * below it (no single payment can be more than the whole).
 */
export function withMaxDeposit(approval: Approval, maxDeposit: RawAmount): Approval {
  if (maxDeposit <= 0n) throw new Error(`The most ${approval.origin} may spend must be more than $0. Revoke the site to stop paying it.`)
  return { ...approval, maxDeposit: maxDeposit.toString(), perPaymentLimit: min(BigInt(approval.perPaymentLimit), maxDeposit).toString() }
}

/**
 * The same approval with the site's own sign-ahead (the reader's change in
 * Sites), or back to the reader's default (`undefined`). From $0 to $1.
 */
export function withSignAhead(approval: Approval, signAhead: RawAmount | undefined): Approval {
  const { signAhead: _previous, ...rest } = approval
  if (signAhead === undefined) return rest
  if (signAhead < 0n || signAhead > maxSignAhead) throw new Error(`Signing ahead for ${approval.origin} takes an amount from $0 to $1.`)
  return { ...rest, signAhead: signAhead.toString() }
}

