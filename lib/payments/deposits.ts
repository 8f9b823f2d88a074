/**
 * How much Drip deposits, as pure functions: mppx's own sizing rules
 * (`resolveOpeningDeposit`, `resolveAutomaticTopUp`) with the approval as
 * the lifetime cap, so no deposit ever passes what the reader approved.
 * Each step is automatic (half the cap: a channel opens with half and tops
 * up once with the rest, so a visit takes at most two transactions) or, in
 * Settings' Advanced, `stepUnits` units; the site's suggestion when it is
 * more. Unused deposit is refunded when the channel closes.
 */
import { Session } from 'mppx/tempo'
import { max, type RawAmount } from '@/lib/shared/amounts'

const { resolveOpeningDeposit, resolveAutomaticTopUp } = Session.Client.Machine

/** `stepUnits` when the reader leaves the deposit to Drip. */
export const automaticStep = 0

/** What one deposit step should buy: the site's suggestion, but at least half the cap (automatic) or `stepUnits` units, and one unit. */
export function step(input: { price: RawAmount; suggestedDeposit: RawAmount | undefined; cap: RawAmount; stepUnits: number }): RawAmount {
  const own = input.stepUnits === automaticStep ? (input.cap + 1n) / 2n : input.price * BigInt(input.stepUnits)
  return max(input.suggestedDeposit ?? 0n, max(own, input.price))
}

/** The first deposit: one step, never past the cap. Throws when one unit is past the cap. */
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
