/**
 * Per-site approvals and the decisions made with them, as pure functions.
 * An approval pins the recipient, currency and chain of the site, and the
 * price of each unit type the reader approved (a site may sell photos and
 * words at different prices); one cap covers the site's channel. A
 * challenge that changes any pin, or asks for a unit type not approved yet,
 * is a new pending request, never a signature; a price may move only up to
 * a ceiling the reader set. One-shot charges are approved as a unit of
 * their own (`oneTimeUnit`, priced at the most one charge may take) and
 * spend the same cap: what the site's charges took is not left for its
 * channel.
 */
import { type Address, isAddressEqual } from 'viem'
import { formatDollars, max, min, type RawAmount, type RawAmountString } from '@/lib/shared/amounts'
import { RefusedError } from './challenge'
import * as Deposits from './deposits'
import { oneTimeUnit, priceText } from './units'

export type Approval = {
  /** The page origin the reader approved. */
  origin: string
  /** The price per unit the reader saw when approving, by unit type. */
  prices: Record<string, RawAmountString>
  /** Lifetime cap of what the site may take: its channel's cumulative plus its one-shot charges. */
  maxDeposit: RawAmountString
  recipient: Address
  currency: Address
  chainId: number
  /** Highest acceptable price per unit; absent means exactly the approved price. */
  priceCeiling: RawAmountString | undefined
  /** Other origins (the page's APIs) the reader approved this page to pay, by name. Absent in records from before. */
  apiOrigins?: string[]
  /** One-shot charges signed under this approval, in total; they count against `maxDeposit`. Absent: none. */
  charged?: RawAmountString
  /** The reader paused the site: nothing is paid, the approval and its budget stay. */
  paused?: boolean
  grantedAt: number
}

/**
 * What a site asks for, from a live challenge, a pending request or an
 * approval. `resourceOrigin`: the origin paid, when it is not the page's
 * own (a page calling another site's paid API).
 */
export type Terms = { amount: RawAmount; unitType: string; recipient: Address; currency: Address; chainId: number; resourceOrigin?: string }

/** A site waiting for the reader: the terms of its first 402 while it waits. */
export type PendingRequest = {
  origin: string
  amount: RawAmountString
  unitType: string
  recipient: Address
  currency: Address
  chainId: number
  suggestedDeposit: RawAmountString | undefined
  /** The API origin that answered 402, when it is not the page's own. */
  resourceOrigin?: string
  firstSeenAt: number
  lastSeenAt: number
  /** How many 402s from this site arrived while it waited. */
  count: number
}

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
  const approved = Object.hasOwn(approval.prices, terms.unitType) ? approval.prices[terms.unitType] : undefined
  if (approved === undefined)
    return terms.unitType === oneTimeUnit
      ? `${site} asks for a one-time payment of ${formatDollars(terms.amount)}, which you have not approved (${approvedUnits(approval)}).`
      : `${site} now charges per ${terms.unitType}, which you have not approved (${approvedUnits(approval)}).`
  // A price ceiling is for metered units; a charge may take at most the one-time amount the reader approved.
  const ceiling = BigInt(terms.unitType === oneTimeUnit ? approved : (approval.priceCeiling ?? approved))
  if (terms.amount > ceiling)
    return terms.unitType === oneTimeUnit
      ? `${site} asks for a one-time payment of ${formatDollars(terms.amount)}, above the ${formatDollars(ceiling)} you approved for one.`
      : approval.priceCeiling === undefined
        ? `${site} now asks ${formatDollars(terms.amount)} per ${terms.unitType}, but you approved ${formatDollars(approved)}.`
        : `${site} asks ${formatDollars(terms.amount)} per ${terms.unitType}, above your ceiling of ${formatDollars(ceiling)}.`
  return undefined
}

function approvedUnits(approval: Approval): string {
  return Object.entries(approval.prices)
    .map(([unit, price]) => priceText(BigInt(price), unit))
    .join(', ')
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
      `Paying this would bring ${approval.origin} to ${formatDollars(total)}, beyond the ${formatDollars(cap)} you approved. Raise the approval in Drip to continue.`,
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

/**
 * The pre-filled max deposit of a pending request: one deposit step (the
 * site's suggestion, but at least `stepUnits` units, so the approval buys
 * a meaningful amount), never more than the reader's default cap. A
 * one-time payment is pre-filled at its amount.
 */
export function defaultMaxDeposit(terms: { suggestedDeposit: RawAmount | undefined; amount: RawAmount; unitType: string }, defaultCap: RawAmount, stepUnits: number): RawAmount {
  if (terms.unitType === oneTimeUnit) return terms.amount
  return min(Deposits.step({ price: terms.amount, suggestedDeposit: terms.suggestedDeposit, stepUnits }), defaultCap)
}

export function termsOf(source: PendingRequest): Terms {
  return {
    unitType: source.unitType,
    recipient: source.recipient,
    currency: source.currency,
    chainId: source.chainId,
    amount: BigInt(source.amount),
    ...(source.resourceOrigin === undefined ? {} : { resourceOrigin: source.resourceOrigin }),
  }
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
 * an approval for the same recipient, currency and chain, the new unit's
 * price joins the approved ones; otherwise the new terms replace the old
 * approval's pins. Either way the site's cap is never lowered by approving
 * a request (a purchase pre-filled at its price must not cut the cap of the
 * site's channel): only the reader's own change in Sites lowers it
 * (`withMaxDeposit`).
 */
export function approvalFor(
  terms: Terms,
  origin: string,
  input: { maxDeposit: RawAmount; priceCeiling?: RawAmount },
  existing?: Approval,
  now = Date.now(),
): Approval {
  const { maxDeposit, priceCeiling } = input
  if (maxDeposit < terms.amount) throw new Error(`Max deposit must cover at least one ${terms.unitType} (${formatDollars(terms.amount)}).`)
  if (priceCeiling !== undefined && priceCeiling < terms.amount)
    throw new Error(`The price ceiling is below the site's current price of ${formatDollars(terms.amount)} per ${terms.unitType}.`)
  const same = existing !== undefined && sameSite(terms, existing)
  const kept = same ? existing.prices : {}
  const apiOrigins = [...new Set([...(same ? (existing.apiOrigins ?? []) : []), ...(terms.resourceOrigin && terms.resourceOrigin !== origin ? [terms.resourceOrigin] : [])])]
  return {
    origin,
    prices: { ...kept, [terms.unitType]: terms.amount.toString() },
    ...(apiOrigins.length ? { apiOrigins } : {}),
    maxDeposit: (existing ? max(BigInt(existing.maxDeposit), maxDeposit) : maxDeposit).toString(),
    recipient: terms.recipient,
    currency: terms.currency,
    chainId: terms.chainId,
    priceCeiling: priceCeiling?.toString() ?? (existing && sameSite(terms, existing) ? existing.priceCeiling : undefined),
    ...(same ? { charged: existing.charged ?? '0' } : {}),
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

/** The same approval with another cap: the pinned terms and the price ceiling stay. */
export function withMaxDeposit(approval: Approval, maxDeposit: RawAmount): Approval {
  const [unit, cheapest] = Object.entries(approval.prices).sort(([, a], [, b]) => (BigInt(a) < BigInt(b) ? -1 : 1))[0] ?? ['unit', '0']
  if (maxDeposit < BigInt(cheapest)) throw new Error(`Max deposit must cover at least one ${unit} (${formatDollars(cheapest)}).`)
  return { ...approval, maxDeposit: maxDeposit.toString() }
}

/**
 * A 402 from a waiting site. A pending request keeps the terms of the first
 * 402 while it waits, so what the reader is reading cannot change under the
 * click; later 402s only count.
 */
export function pendingFrom(
  challenge: Terms & { suggestedDeposit: RawAmount | undefined },
  origin: string,
  previous: PendingRequest | undefined,
  now = Date.now(),
): PendingRequest {
  if (previous) return { ...previous, lastSeenAt: now, count: previous.count + 1 }
  return {
    origin,
    amount: challenge.amount.toString(),
    unitType: challenge.unitType,
    recipient: challenge.recipient,
    currency: challenge.currency,
    chainId: challenge.chainId,
    suggestedDeposit: challenge.suggestedDeposit?.toString(),
    ...(challenge.resourceOrigin === undefined ? {} : { resourceOrigin: challenge.resourceOrigin }),
    firstSeenAt: now,
    lastSeenAt: now,
    count: 1,
  }
}
