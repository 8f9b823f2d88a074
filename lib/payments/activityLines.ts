/**
 * Activity as the reader reads it: one line per payment. A site's receipt
 * for a page payment confirms that payment's line (the same channel and
 * cumulative: a voucher, or the open that carried the first unit) instead
 * of adding a second line; a receipt with no payment
 * line in view stays a line of its own. The stored history (and its CSV)
 * keeps both.
 */
import type { ActivityView } from '@/lib/protocol/views'

export type ActivityLine = ActivityView & { confirmed?: boolean }

/** `entries` newest first, as the history lists them. */
export function activityLines(entries: ActivityView[]): ActivityLine[] {
  const paid = (entry: ActivityView) => `${entry.channelId?.toLowerCase()}:${entry.cumulative}`
  const payments = new Map<string, ActivityLine>()
  const lines: ActivityLine[] = entries.map((entry) => ({ ...entry }))
  for (const line of lines) if ((line.kind === 'voucher' || line.kind === 'open') && line.channelId && line.cumulative && !payments.has(paid(line))) payments.set(paid(line), line)
  return lines.filter((line) => {
    if (line.kind !== 'receipt' || !line.channelId || !line.cumulative) return true
    const payment = payments.get(paid(line))
    if (!payment) return true
    payment.confirmed = true
    return false
  })
}
