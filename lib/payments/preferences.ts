/**
 * The reader's spending preferences: the cap and the per-payment limit a
 * new approval is pre-filled with, how many units each deposit step buys,
 * and how far streams sign ahead.
 */
import type { RawAmount } from '@/lib/shared/amounts'
import * as Schema from '@/lib/storage/schema'

export async function defaultCap(): Promise<RawAmount> {
  return BigInt(await Schema.defaultCap.getValue())
}

export async function setDefaultCap(raw: RawAmount): Promise<void> {
  if (raw <= 0n) throw new Error('The default cap must be more than zero.')
  await Schema.defaultCap.setValue(raw.toString())
}

export async function defaultPerPaymentLimit(): Promise<RawAmount> {
  return BigInt(await Schema.defaultPerPaymentLimit.getValue())
}

export async function setDefaultPerPaymentLimit(raw: RawAmount): Promise<void> {
  if (raw <= 0n) throw new Error('The limit for a single payment must be more than zero.')
  await Schema.defaultPerPaymentLimit.setValue(raw.toString())
}

/**
 * Stream units Drip may sign beyond what a site delivered, to save a round
 * trip per unit. 0 pays exactly as delivered; more is faster, and the most
 * a site could take without delivering is this many units.
 */
export const maxLookaheadUnits = 1_000

export async function lookaheadUnits(): Promise<number> {
  return Schema.lookaheadUnits.getValue()
}

export async function setLookaheadUnits(units: number): Promise<void> {
  if (!Number.isInteger(units) || units < 0 || units > maxLookaheadUnits)
    throw new Error(`Signing ahead takes a whole number of units from 0 to ${maxLookaheadUnits}.`)
  await Schema.lookaheadUnits.setValue(units)
}

/**
 * Units a channel's opening deposit and each top-up buy at least (never
 * past the approval): with the seeds' servers, which suggest no deposit, a
 * one-unit deposit meant one top-up transaction per word. Unused deposit
 * is refunded when the channel closes.
 */
export const maxDepositUnits = 100_000

export async function depositUnits(): Promise<number> {
  return Schema.depositUnits.getValue()
}

export async function setDepositUnits(units: number): Promise<void> {
  if (!Number.isInteger(units) || units < 1 || units > maxDepositUnits) throw new Error(`A deposit step is a whole number of units from 1 to ${maxDepositUnits}.`)
  await Schema.depositUnits.setValue(units)
}
