/**
 * A site waiting for the reader, as pure functions: its pending request
 * keeps the terms of its first 402 (what the reader reads cannot change
 * under the click) and is pre-filled with the reader's figures, or the
 * site's own when it is approved already. Other things its pages ask for
 * meanwhile (an API on another origin, a payment above the limit, another
 * payee) wait beside it, a few at most, so the popup shows what each page
 * asked for and one Approve covers every one that fits.
 */
import type { Address } from 'viem'
import { max, min, type RawAmount, type RawAmountString } from '@/lib/shared/amounts'
import * as Policy from './policy'
import type { Approval, Terms } from './policy'

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
  /** The tab whose page last asked (`pendingQueue.ts` counts each tab's waiting sites). Absent in records from before. */
  tabId?: number
  /** Other things the site's pages asked for meanwhile (below). Absent: none. */
  also?: AlsoWaiting[]
}

/** A request waiting beside a site's first one, as its 402 said it. */
export type AlsoWaiting = Omit<Terms, 'amount'> & { amount: RawAmountString }

/**
 * What a pending request is pre-filled with, each figure at least what this
 * request costs: for a new site the reader's default cap and per-payment
 * limit; for a site already approved what it has (approving neither lowers
 * it nor raises it unasked).
 */
export function prefill(
  terms: Pick<Terms, 'amount'>,
  defaults: { cap: RawAmount; perPaymentLimit: RawAmount },
  current: Approval | undefined,
): { maxDeposit: RawAmount; perPaymentLimit: RawAmount } {
  const cap = current ? BigInt(current.maxDeposit) : defaults.cap
  const limit = current ? BigInt(current.perPaymentLimit) : defaults.perPaymentLimit
  return { maxDeposit: max(cap, terms.amount), perPaymentLimit: max(min(limit, max(cap, terms.amount)), terms.amount) }
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

/** Other requests that may wait beside a site's first one; later ones only count. */
export const maxAlsoWaiting = 4

export function termsOfAlso(also: AlsoWaiting): Terms {
  return { ...also, amount: BigInt(also.amount) }
}

/** `pending` with `terms` noted beside it, unless they are its own terms, already noted, or there is no room left. */
export function withAlso(pending: PendingRequest, terms: Terms): PendingRequest {
  const also = pending.also ?? []
  if (Policy.sameTerms(termsOf(pending), terms) || also.some((noted) => Policy.sameTerms(termsOfAlso(noted), terms)) || also.length >= maxAlsoWaiting)
    return pending
  const { amount, unitType, recipient, currency, chainId, resourceOrigin } = terms
  return { ...pending, also: [...also, { amount: amount.toString(), unitType, recipient, currency, chainId, ...(resourceOrigin === undefined ? {} : { resourceOrigin }) }] }
}

/**
 * What one Approve grants for a waiting site: its first request; then every
 * other one the approval covers as it is (the same payee, within the limit),
 * and each the reader saw (`seen`) that fits the figures typed (an API joins
 * the approval by name). The rest still waits, as a pending request of its own.
 */
export function approveWaiting(
  pending: PendingRequest,
  typed: { maxDeposit: RawAmount; perPaymentLimit?: RawAmount },
  existing: Approval | undefined,
  seen: Terms[],
  now = Date.now(),
): { approval: Approval; stillWaiting: PendingRequest | undefined } {
  let approval = Policy.approvalFor(termsOf(pending), pending.origin, typed, existing, now)
  const left: Terms[] = []
  for (const terms of (pending.also ?? []).map(termsOfAlso)) {
    if (Policy.decide(terms, approval).kind === 'pay') continue
    const fits = seen.some((s) => Policy.sameTerms(s, terms)) && Policy.sameSite(terms, approval) && terms.amount <= BigInt(approval.perPaymentLimit)
    if (fits) approval = Policy.approvalFor(terms, pending.origin, typed, approval, now)
    else left.push(terms)
  }
  const [first, ...rest] = left
  if (!first) return { approval, stillWaiting: undefined }
  const next = pendingFrom({ ...first, suggestedDeposit: undefined }, pending.origin, undefined, now)
  return { approval, stillWaiting: rest.reduce(withAlso, next) }
}
