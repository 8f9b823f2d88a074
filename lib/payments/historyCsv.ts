/**
 * The reader's history as CSV (RFC 4180): one row per history line, oldest
 * first, amounts in dollars (human-readable units). Site and detail texts
 * come from pages and servers, so a cell that a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with `'`.
 */
import type { LedgerEntry } from './ledger'
import { toDollars } from '@/lib/shared/amounts'

export const csvColumns = ['date', 'site', 'kind', 'amount', 'cumulative', 'channel', 'transaction', 'detail'] as const

export function historyCsv(newestFirst: readonly LedgerEntry[]): string {
  const rows = [...newestFirst].reverse().map((entry) => [
    new Date(entry.at).toISOString(),
    entry.origin,
    entry.kind,
    entry.amount === undefined ? '' : toDollars(entry.amount),
    entry.cumulative === undefined ? '' : toDollars(entry.cumulative),
    entry.channelId ?? '',
    entry.txHash ?? '',
    entry.repeats ? `${entry.detail ?? ''} (×${entry.repeats})` : (entry.detail ?? ''),
  ])
  return [csvColumns, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n'
}

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}
