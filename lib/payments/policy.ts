/**
 * Per-site approvals and the decisions made with them, as pure functions.
 * An approval pins the recipient, currency, chain and price per unit of the
 * terms the reader approved, and caps the channel's lifetime deposit. A
 * challenge that changes any pin is a new pending request, never a
 * signature; a price may move only up to a ceiling the reader set.
 */
import { type Address, isAddressEqual } from 'viem'
import { formatDollars, min, type RawAmount, type RawAmountString } from '@/lib/shared/amounts'
import { RefusedError } from './challenge'

export type Approval = {
  /** The page origin the reader approved. */
  origin: string
  /** The price per unit the reader saw when approving. */
  price: RawAmountString
  unitType: string
  /** Lifetime deposit cap of the site's channels. */
  maxDeposit: RawAmountString
  recipient: Address
  currency: Address
  chainId: number
  /** Highest acceptable price per unit; absent means exactly the approved price. */
  priceCeiling: RawAmountString | undefined
  grantedAt: number
}

/** What a site asks for, from a live challenge, a pending request or an approval. */
export type Terms = { amount: RawAmount; unitType: string; recipient: Address; currency: Address; chainId: number }

/** A site waiting for the reader: the terms of its first 402 while it waits. */
export type PendingRequest = {
  origin: string
  amount: RawAmountString
  unitType: string
  recipient: Address
  currency: Address
  chainId: number
  suggestedDeposit: RawAmountString | undefined
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
  if (terms.chainId !== approval.chainId) return `${site} now asks for chain ${terms.chainId}, but you approved chain ${approval.chainId}.`
  if (!isAddressEqual(terms.recipient, approval.recipient)) return `${site} now asks to pay ${terms.recipient}, but you approved ${approval.recipient}.`
  if (!isAddressEqual(terms.currency, approval.currency)) return `${site} now asks for currency ${terms.currency}, but you approved ${approval.currency}.`
  if (terms.unitType !== approval.unitType) return `${site} now charges per ${terms.unitType}, but you approved per ${approval.unitType}.`
  const ceiling = BigInt(approval.priceCeiling ?? approval.price)
  if (terms.amount > ceiling)
    return approval.priceCeiling === undefined
      ? `${site} now asks ${formatDollars(terms.amount)} per ${terms.unitType}, but you approved ${formatDollars(approval.price)}.`
      : `${site} asks ${formatDollars(terms.amount)} per ${terms.unitType}, above your ceiling of ${formatDollars(ceiling)}.`
  return undefined
}

/** Before any signature: the cumulative amount may never pass the approved cap. */
export function assertWithinApproval(cumulative: RawAmount, approval: Approval) {
  const cap = BigInt(approval.maxDeposit)
  if (cumulative > cap)
    throw new RefusedError(
      'cap',
      `Paying this would bring ${approval.origin} to ${formatDollars(cumulative)}, beyond the ${formatDollars(cap)} you approved. Raise the approval in Drip to continue.`,
    )
}

/** The suggested approval: the site's suggested deposit, but never more than the reader's default cap. */
export function defaultMaxDeposit(terms: { suggestedDeposit: RawAmount | undefined; amount: RawAmount }, defaultCap: RawAmount): RawAmount {
  return min(terms.suggestedDeposit ?? terms.amount, defaultCap)
}

export function termsOf(source: PendingRequest | Approval): Terms {
  const amount = 'price' in source ? source.price : source.amount
  return { unitType: source.unitType, recipient: source.recipient, currency: source.currency, chainId: source.chainId, amount: BigInt(amount) }
}

export function sameTerms(a: Terms, b: Terms): boolean {
  return (
    a.amount === b.amount &&
    a.unitType === b.unitType &&
    a.chainId === b.chainId &&
    isAddressEqual(a.recipient, b.recipient) &&
    isAddressEqual(a.currency, b.currency)
  )
}

export function approvalFor(terms: Terms, origin: string, input: { maxDeposit: RawAmount; priceCeiling?: RawAmount }, now = Date.now()): Approval {
  const { maxDeposit, priceCeiling } = input
  if (maxDeposit < terms.amount) throw new Error(`Max deposit must cover at least one ${terms.unitType} (${formatDollars(terms.amount)}).`)
  if (priceCeiling !== undefined && priceCeiling < terms.amount)
    throw new Error(`The price ceiling is below the site's current price of ${formatDollars(terms.amount)} per ${terms.unitType}.`)
  return {
    origin,
    price: terms.amount.toString(),
    unitType: terms.unitType,
    maxDeposit: maxDeposit.toString(),
    recipient: terms.recipient,
    currency: terms.currency,
    chainId: terms.chainId,
    priceCeiling: priceCeiling?.toString(),
    grantedAt: now,
  }
}

/** The same approval with another cap: the pinned terms and the price ceiling stay. */
export function withMaxDeposit(approval: Approval, maxDeposit: RawAmount): Approval {
  if (maxDeposit < BigInt(approval.price))
    throw new Error(`Max deposit must cover at least one ${approval.unitType} (${formatDollars(approval.price)}).`)
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
    firstSeenAt: now,
    lastSeenAt: now,
    count: 1,
  }
}
