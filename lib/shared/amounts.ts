/**
 * Money in Drip is counted in the token's raw units: TIP-20 stablecoins have
 * 6 decimals, so 1_000_000n is one dollar. In memory an amount is a
 * `RawAmount` (bigint); in storage, messages and views it is a
 * `RawAmountString`. Dollars appear only at the edges: what the reader types
 * into a form (`parseDollars`) and what the reader reads (`formatDollars`).
 */
import { formatUnits, parseUnits } from 'viem'

/** Decimals of every TIP-20 stablecoin Drip pays with. */
export const decimals = 6

/** TIP-1034 channels carry amounts as uint96. */
export const maxRawAmount = (1n << 96n) - 1n

/** An amount in the token's raw units (6 decimals). */
export type RawAmount = bigint

/** A `RawAmount` as decimal digits, for JSON (storage, messages, views). */
export type RawAmountString = string

/** Reads a raw amount from untrusted input: decimal digits that fit in uint96, else undefined. */
export function readRawAmount(value: unknown): RawAmount | undefined {
  if (typeof value !== 'string' || !/^\d{1,29}$/.test(value)) return undefined
  const amount = BigInt(value)
  return amount <= maxRawAmount ? amount : undefined
}

/** Reads a raw amount Drip itself stored or sent; throws on anything else. */
export function rawAmountOf(value: RawAmountString): RawAmount {
  const amount = readRawAmount(value)
  if (amount === undefined) throw new Error(`"${value}" is not a raw amount.`)
  return amount
}

/**
 * Reads dollars the reader typed, in human-readable units ("1", "0.25",
 * "$5"), into raw units. Throws with the field's name on anything else.
 */
export function parseDollars(input: string, field: string): RawAmount {
  const trimmed = input.trim().replace(/^\$/, '')
  if (!/^\d+(\.\d{1,6})?$/.test(trimmed)) throw new Error(`${field} must be an amount like 1 or 0.25 (at most 6 decimals).`)
  const value = parseUnits(trimmed, decimals)
  if (value > maxRawAmount) throw new Error(`${field} is too large.`)
  return value
}

/** Raw units to the reader's dollars, in human-readable units without a sign ("0.25"), for form fields. */
export function toDollars(raw: RawAmount | RawAmountString): string {
  return formatUnits(BigInt(raw), decimals)
}

/** Raw units as the reader reads them: "$0.25". */
export function formatDollars(raw: RawAmount | RawAmountString): string {
  return `$${toDollars(raw)}`
}

export function min(a: RawAmount, b: RawAmount): RawAmount {
  return a < b ? a : b
}

export function max(a: RawAmount, b: RawAmount): RawAmount {
  return a > b ? a : b
}
