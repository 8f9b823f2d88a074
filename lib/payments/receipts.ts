/**
 * A site's `Payment-Receipt`, checked against Drip's own records. The figure
 * recorded is what Drip signed; a receipt that claims more than that, or
 * names a channel Drip does not hold for that same site, is not recorded.
 */
import { Receipt } from 'mppx'
import type { Hex } from 'viem'
import { formatDollars, readRawAmount } from '@/lib/shared/amounts'
import type { ChannelRecords } from './channelRecords'
import type { Ledger } from './ledger'

/** A receipt header is a short base64url token; anything longer is not read. */
export const maxReceiptChars = 4096

export async function recordSiteReceipt(deps: { records: ChannelRecords; ledger: Ledger }, origin: string, header: string): Promise<boolean> {
  if (header.length > maxReceiptChars) return false
  let receipt: { channelId?: unknown; acceptedCumulative?: unknown }
  try {
    receipt = Receipt.deserialize(header) as typeof receipt
  } catch {
    return false
  }
  const accepted = readRawAmount(receipt.acceptedCumulative)
  if (typeof receipt.channelId !== 'string' || accepted === undefined) return false
  const record = await deps.records.get(receipt.channelId as Hex)
  if (!record || record.origin !== origin || accepted > BigInt(record.cumulative)) return false
  await deps.ledger.append({
    origin,
    kind: 'receipt',
    channelId: record.channelId,
    cumulative: record.cumulative,
    detail: `The site confirmed a payment on this channel (Drip has signed ${formatDollars(record.cumulative)} on it).`,
  })
  return true
}
