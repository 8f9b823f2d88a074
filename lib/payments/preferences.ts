/**
 * The reader's spending preferences: the cap and the per-payment limit a
 * new approval is pre-filled with, how many units each deposit step buys,
 * and how far streams sign ahead. The last two are read by payments (each
 * open, each stream), so they are kept in memory until storage says they
 * changed (`keptInMemory.ts`).
 */
import type { RawAmount } from '@/lib/shared/amounts'
import { maxSignAhead, signAheadFor, unitsAhead } from '@/lib/streams/lookahead'
import { keptInMemory } from '@/lib/storage/keptInMemory'
import * as Schema from '@/lib/storage/schema'

const keptSignAhead = keptInMemory(Schema.signAhead)
const keptDepositUnits = keptInMemory(Schema.depositUnits)

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
 * How much Drip may sign beyond what a stream delivered, to save a round
 * trip per unit: in money, so words at $0.001 go ten ahead and photos at
 * $0.01 one (`Lookahead.unitsAhead`). 0 pays exactly as delivered; the most
 * a dishonest site could keep without delivering is this amount.
 */
export async function signAhead(): Promise<RawAmount> {
  return BigInt(await keptSignAhead.read())
}

export async function setSignAhead(raw: RawAmount): Promise<void> {
  if (raw < 0n || raw > maxSignAhead) throw new Error('Signing ahead takes an amount from $0 to $1.')
  await keptSignAhead.write(raw.toString())
}

/** Stream units to sign ahead at `price` on `site`: by its own amount if the reader set one in Sites, else the reader's default. */
export async function lookaheadUnits(price: RawAmount, site: { signAhead?: string }): Promise<number> {
  return unitsAhead(signAheadFor(site, await signAhead()), price)
}

/**
 * Units a channel's opening deposit and each top-up buy at least (never
 * past the approval), or 0 for automatic (`Deposits.step`): with the seeds'
 * servers, which suggest no deposit, a one-unit deposit meant one top-up
 * transaction per word. Unused deposit is refunded when the channel closes.
 */
export const maxDepositUnits = 100_000

export async function depositUnits(): Promise<number> {
  return keptDepositUnits.read()
}

export async function setDepositUnits(units: number): Promise<void> {
  if (!Number.isInteger(units) || units < 0 || units > maxDepositUnits)
    throw new Error(`A deposit step is a whole number of units from 1 to ${maxDepositUnits}, or 0 for automatic.`)
  await keptDepositUnits.write(units)
}
