/**
 * All of a site's waiting requests together, as pure functions. A site's
 * pending request keeps the terms of its first 402 (what the reader reads
 * cannot change under the click); other things its pages ask for meanwhile
 * (an API on another origin, a payment above the limit, another payee) wait
 * beside it, a few at most, so the popup shows what each page asked for and
 * one Approve covers every one the reader saw that fits what they typed.
 */
import type { RawAmount } from '@/lib/shared/amounts'
import * as Policy from './policy'
import type { AlsoWaiting } from './policy'

/** Other requests that may wait beside a site's first one; later ones only count. */
export const maxAlsoWaiting = 4

export function termsOfAlso(also: AlsoWaiting): Policy.Terms {
  return { ...also, amount: BigInt(also.amount) }
}

/** `pending` with `terms` noted beside it, unless they are its own terms, already noted, or there is no room left. */
export function withAlso(pending: Policy.PendingRequest, terms: Policy.Terms): Policy.PendingRequest {
  const also = pending.also ?? []
  if (Policy.sameTerms(Policy.termsOf(pending), terms) || also.some((noted) => Policy.sameTerms(termsOfAlso(noted), terms)) || also.length >= maxAlsoWaiting)
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
  pending: Policy.PendingRequest,
  typed: { maxDeposit: RawAmount; perPaymentLimit?: RawAmount },
  existing: Policy.Approval | undefined,
  seen: Policy.Terms[],
  now = Date.now(),
): { approval: Policy.Approval; stillWaiting: Policy.PendingRequest | undefined } {
  let approval = Policy.approvalFor(Policy.termsOf(pending), pending.origin, typed, existing, now)
  const left: Policy.Terms[] = []
  for (const terms of (pending.also ?? []).map(termsOfAlso)) {
    if (Policy.decide(terms, approval).kind === 'pay') continue
    const fits = seen.some((s) => Policy.sameTerms(s, terms)) && Policy.sameSite(terms, approval) && terms.amount <= BigInt(approval.perPaymentLimit)
    if (fits) approval = Policy.approvalFor(terms, pending.origin, typed, approval, now)
    else left.push(terms)
  }
  const [first, ...rest] = left
  if (!first) return { approval, stillWaiting: undefined }
  const next = Policy.pendingFrom({ ...first, suggestedDeposit: undefined }, pending.origin, undefined, now)
  return { approval, stillWaiting: rest.reduce(withAlso, next) }
}
