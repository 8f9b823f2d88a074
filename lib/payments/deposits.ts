/**
 * How much Drip deposits, as pure functions: mppx's own sizing rules
 * (`resolveOpeningDeposit`, `resolveAutomaticTopUp`) with the approval as
 * the lifetime cap, so no deposit ever passes what the reader approved.
 */
import { Session } from 'mppx/tempo'
import type { RawAmount } from '@/lib/shared/amounts'

const { resolveOpeningDeposit, resolveAutomaticTopUp } = Session.Client.Machine

/** The first deposit: the site's suggestion if it is more than one unit, never past the cap. */
export function openingDeposit(input: { price: RawAmount; suggestedDeposit: RawAmount | undefined; cap: RawAmount }): RawAmount {
  return resolveOpeningDeposit({
    requestAmount: input.price,
    suggestedDepositRaw: input.suggestedDeposit?.toString(),
    maxDeposit: input.cap,
    contextDepositRaw: undefined,
  })
}

/**
 * Deposit to add before signing `required`: nothing while the deposit covers
 * it, else the site's suggestion but at least the shortfall, never past the
 * cap. Throws when `required` itself is past the cap.
 */
export function topUp(input: { deposit: RawAmount; required: RawAmount; suggestedDeposit: RawAmount | undefined; cap: RawAmount }): RawAmount {
  return resolveAutomaticTopUp({
    deposit: input.deposit,
    requiredCumulative: input.required,
    suggestedDeposit: input.suggestedDeposit,
    maxDeposit: input.cap,
    topUpAmount: undefined,
  })
}
