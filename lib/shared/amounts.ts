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

/** One cent in raw units. */
const cent = 10n ** BigInt(decimals - 2)

/**
 * Raw units as the reader reads them, one format everywhere: two decimals
 * from a cent up, rounded to the nearest cent, with thousands separated
 * ("$0.10", "$998.99", "$1,000.00"); more decimals only below a cent, as
 * many as the amount has ("$0.001", "$0.0005"); zero is "$0.00".
 */
export function formatDollars(raw: RawAmount | RawAmountString): string {
  const amount = BigInt(raw)
  const sign = amount < 0n ? '-' : ''
  const size = amount < 0n ? -amount : amount
  if (size > 0n && size < cent) return `${sign}$${formatUnits(size, decimals)}`
  const cents = (size + cent / 2n) / cent
  const whole = (cents / 100n).toLocaleString('en-US')
  return `${sign}$${whole}.${(cents % 100n).toString().padStart(2, '0')}`
}

/**
 * A limit the reader set (a cap, a per-payment limit, a budget), as they set
 * it: never rounded, at least two decimals ("$0.025", "$0.10", "$5.00").
 */
export function formatLimit(raw: RawAmount | RawAmountString): string {
  const [whole = '0', fraction = ''] = toDollars(raw).replace('-', '').split('.')
  return `${BigInt(raw) < 0n ? '-' : ''}$${BigInt(whole).toLocaleString('en-US')}.${fraction.padEnd(2, '0')}`
}

/**
 * An amount shown beside a limit ("asks $0.100001, above your limit of
 * $0.10"): the reader's format, but exact when rounding would make it read
 * as the limit does.
 */
export function formatDollarsBeside(amount: RawAmount, limit: RawAmount | RawAmountString): string {
  const shown = formatDollars(amount)
  return shown === formatLimit(limit) && amount !== BigInt(limit) ? `$${toDollars(amount)}` : shown
}

export function min(a: RawAmount, b: RawAmount): RawAmount {
  return a < b ? a : b
}

export function max(a: RawAmount, b: RawAmount): RawAmount {
  return a > b ? a : b
}
