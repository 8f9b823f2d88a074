/**
 * What every signature passes first, session voucher and one-shot charge
 * alike: the approval as it is at that moment (revoked, changed or paused
 * terms sign nothing), and the daily and monthly budgets (reserved before
 * the signature, given back if it failed before signing).
 */
import type { RawAmount } from '@/lib/shared/amounts'
import type { Approvals } from './approvals'
import type { BudgetBook } from './budgetBook'
import type { BudgetAlert } from './budgets'
import * as Challenge from './challenge'
import * as Policy from './policy'

export type SigningGateDeps = {
  approvals: Approvals
  /** Daily and monthly limits: asked before every signature, told after it. */
  budgets: BudgetBook
  /** Budget marks (80%, 100%) a payment crossed. */
  onBudgetAlerts?: (alerts: BudgetAlert[]) => void | Promise<void>
}

/**
 * The approval as it is now. The signer is loaded only after every check
 * that can refuse (and a locked wallet then refuses too).
 */
export async function approvalNow(deps: Pick<SigningGateDeps, 'approvals'>, origin: string, challenge: Challenge.PaymentChallenge): Promise<Policy.Approval> {
  const decision = Policy.decide(challenge, await deps.approvals.get(origin))
  if (decision.kind !== 'pay') throw new Challenge.RefusedError('revoked', decision.reason ?? `${origin} is not approved in Drip any more.`)
  Policy.assertNotPaused(decision.approval)
  return decision.approval
}

/**
 * Reserves `amount` in the budgets (or refuses), runs the signature, and
 * gives the reservation back if it failed before signing (`signed` says
 * whether a failing `sign` had already signed); then raises the marks the
 * payment crossed.
 *
 * `sign` is given `counted`, the count's write to storage: it may sign
 * while the count is stored, and awaits `counted` before its credential
 * leaves, so a worker that ends at any point never finds a credential out
 * that its budgets did not count.
 */
export async function withinBudget<T>(
  deps: Omit<SigningGateDeps, 'approvals'>,
  origin: string,
  amount: RawAmount,
  sign: (counted: Promise<void>) => Promise<T>,
  signed: () => boolean = () => false,
): Promise<T> {
  const { alerts, stored } = await deps.budgets.reserve(origin, amount)
  let result: T
  try {
    result = await sign(stored)
  } catch (error) {
    if (!signed()) await deps.budgets.release(origin, amount)
    throw error
  }
  if (alerts.length) await deps.onBudgetAlerts?.(alerts)
  return result
}
