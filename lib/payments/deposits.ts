/**
 * How much Drip deposits, as pure functions: mppx's own sizing rules
 * (`resolveOpeningDeposit`, `resolveAutomaticTopUp`) with the approval as
 * the lifetime cap, so no deposit ever passes what the reader approved,
 * and a step of at least `stepUnits` units (the reader's deposit step), so
 * a site that suggests no deposit does not cost one transaction per unit.
 */
import { Session } from 'mppx/tempo'
import { max, type RawAmount } from '@/lib/shared/amounts'

const { resolveOpeningDeposit, resolveAutomaticTopUp } = Session.Client.Machine

/** What one deposit step should buy: the site's suggestion, but at least `stepUnits` units. */
export function step(input: { price: RawAmount; suggestedDeposit: RawAmount | undefined; stepUnits: number }): RawAmount {
  return max(input.suggestedDeposit ?? 0n, input.price * BigInt(Math.max(1, input.stepUnits)))
}

/** The first deposit: min(cap, max(the site's suggestion, `stepUnits` units)). Throws when one unit is past the cap. */
export function openingDeposit(input: { price: RawAmount; suggestedDeposit: RawAmount | undefined; cap: RawAmount; stepUnits: number }): RawAmount {
  return resolveOpeningDeposit({
    requestAmount: input.price,
    suggestedDepositRaw: step(input).toString(),
    maxDeposit: input.cap,
    contextDepositRaw: undefined,
  })
}

/**
 * Deposit to add before signing `required`: nothing while the deposit covers
 * it, else one step (the site's suggestion or `stepUnits` units) but at
 * least the shortfall, never past the cap. Throws when `required` itself is
 * past the cap.
 */
export function topUp(input: { deposit: RawAmount; required: RawAmount; price: RawAmount; suggestedDeposit: RawAmount | undefined; cap: RawAmount; stepUnits: number }): RawAmount {
  return resolveAutomaticTopUp({
    deposit: input.deposit,
    requiredCumulative: input.required,
    suggestedDeposit: step(input),
    maxDeposit: input.cap,
    topUpAmount: undefined,
  })
}
