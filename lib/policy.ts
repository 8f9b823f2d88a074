/**
 * Per-site approvals and the decisions made with them. An approval pins the
 * recipient, currency and chain of the challenge the user approved, caps the
 * channel's lifetime deposit, and optionally caps the price per unit. A
 * challenge that changes any pin needs a new approval.
 */
import { type Address, formatUnits, isAddressEqual, parseUnits } from 'viem'
import { RefusedError, type SessionChallenge } from './challenge'

export const decimals = 6

export type Approval = {
  origin: string
  /** The price per unit and unit type the user saw when approving, raw units. */
  price: string
  unitType: string
  /** Lifetime deposit cap of the site's channel, raw units. */
  maxDeposit: string
  recipient: Address
  currency: Address
  chainId: number
  /** Highest acceptable price per unit, raw units; absent means the approved price. */
  priceCeiling: string | undefined
  grantedAt: number
}

/** A site waiting for the user: what its 402 asked for. */
export type PendingRequest = {
  origin: string
  amount: string
  unitType: string
  recipient: Address
  currency: Address
  chainId: number
  suggestedDeposit: string | undefined
  firstSeenAt: number
  lastSeenAt: number
  /** How many 402s from this site arrived while it waited. */
  count: number
}

export type Decision = { kind: 'pay'; approval: Approval } | { kind: 'ask' }

/** Pay, ask, or throw RefusedError with the reason. */
export function decide(challenge: SessionChallenge, approval: Approval | undefined): Decision {
  if (!approval) return { kind: 'ask' }
  if (challenge.chainId !== approval.chainId)
    throw new RefusedError('chainChanged', `${approval.origin} now asks for chain ${challenge.chainId}, but you approved chain ${approval.chainId}. Approve it again to continue.`)
  if (!isAddressEqual(challenge.recipient, approval.recipient))
    throw new RefusedError('recipientChanged', `${approval.origin} now asks to pay ${challenge.recipient}, but you approved ${approval.recipient}. Approve it again to continue.`)
  if (!isAddressEqual(challenge.currency, approval.currency))
    throw new RefusedError('currencyChanged', `${approval.origin} now asks for currency ${challenge.currency}, but you approved ${approval.currency}. Approve it again to continue.`)
  if (approval.priceCeiling !== undefined && challenge.amount > BigInt(approval.priceCeiling))
    throw new RefusedError('price', `${approval.origin} asks ${usd(challenge.amount)} per ${challenge.unitType}, above your ceiling of ${usd(BigInt(approval.priceCeiling))}.`)
  return { kind: 'pay', approval }
}

/** Before any signature: the cumulative amount may never pass the approved cap. */
export function assertWithinApproval(cumulative: bigint, approval: Approval) {
  const cap = BigInt(approval.maxDeposit)
  if (cumulative > cap)
    throw new RefusedError('cap', `Paying this would bring ${approval.origin} to ${usd(cumulative)}, beyond the ${usd(cap)} you approved. Raise the approval in Drip to continue.`)
}

/** The suggested approval: the site's suggested deposit, but never more than the user's default cap. */
export function defaultMaxDeposit(challenge: Pick<SessionChallenge, 'suggestedDeposit' | 'amount'>, defaultCap: bigint): bigint {
  const suggested = challenge.suggestedDeposit ?? challenge.amount
  return suggested < defaultCap ? suggested : defaultCap
}

/** Reads a dollar amount the user typed into raw units. */
export function parseUsd(input: string, field: string): bigint {
  const trimmed = input.trim().replace(/^\$/, '')
  if (!/^\d+(\.\d{1,6})?$/.test(trimmed)) throw new Error(`${field} must be an amount like 1 or 0.25 (at most 6 decimals).`)
  const value = parseUnits(trimmed, decimals)
  if (value >= 1n << 96n) throw new Error(`${field} is too large.`)
  return value
}

/** What a site asks for, from a live challenge or a pending request. */
export type Terms = Pick<SessionChallenge, 'amount' | 'unitType' | 'recipient' | 'currency' | 'chainId'>

export function termsOf(source: PendingRequest | Approval): Terms {
  const amount = 'price' in source ? source.price : source.amount
  return { unitType: source.unitType, recipient: source.recipient, currency: source.currency, chainId: source.chainId, amount: BigInt(amount) }
}

export function approvalFor(
  challenge: Terms,
  origin: string,
  input: { maxDeposit: string; priceCeiling?: string },
  now = Date.now(),
): Approval {
  const maxDeposit = parseUsd(input.maxDeposit, 'Max deposit')
  if (maxDeposit < challenge.amount) throw new Error(`Max deposit must cover at least one ${challenge.unitType} (${usd(challenge.amount)}).`)
  const priceCeiling = input.priceCeiling?.trim() ? parseUsd(input.priceCeiling, 'Price ceiling') : undefined
  if (priceCeiling !== undefined && priceCeiling < challenge.amount)
    throw new Error(`The price ceiling is below the site's current price of ${usd(challenge.amount)} per ${challenge.unitType}.`)
  return {
    origin,
    price: challenge.amount.toString(),
    unitType: challenge.unitType,
    maxDeposit: maxDeposit.toString(),
    recipient: challenge.recipient,
    currency: challenge.currency,
    chainId: challenge.chainId,
    priceCeiling: priceCeiling?.toString(),
    grantedAt: now,
  }
}

export function pendingFrom(challenge: SessionChallenge, origin: string, previous: PendingRequest | undefined, now = Date.now()): PendingRequest {
  return {
    origin,
    amount: challenge.amount.toString(),
    unitType: challenge.unitType,
    recipient: challenge.recipient,
    currency: challenge.currency,
    chainId: challenge.chainId,
    suggestedDeposit: challenge.suggestedDeposit?.toString(),
    firstSeenAt: previous?.firstSeenAt ?? now,
    lastSeenAt: now,
    count: (previous?.count ?? 0) + 1,
  }
}

export function usd(raw: bigint): string {
  return `$${formatUnits(raw, decimals)}`
}
