/**
 * Drip's history, newest first: opens, vouchers, top-ups, one-shot charges, closes,
 * withdrawals, approvals and refusals, per account. History only: spend is
 * summed from the channel records. Every text is bounded, and refusals for
 * one site within a minute fold into one line with a count, so no page can
 * fill storage through it.
 */
import type { Hex } from 'viem'
import type { RawAmountString } from '@/lib/shared/amounts'
import { Serial } from '@/lib/shared/serial'
import type { AccountItems } from '@/lib/storage/schema'

export type LedgerKind = 'open' | 'voucher' | 'topUp' | 'charge' | 'receipt' | 'close' | 'requestClose' | 'withdraw' | 'refused' | 'approved' | 'revoked' | 'denied'

export type LedgerEntry = {
  at: number
  origin: string
  kind: LedgerKind
  channelId?: Hex
  /** Cumulative amount signed on the channel after this event. */
  cumulative?: RawAmountString
  /** Money moved by this event (deposit, top-up, refund). */
  amount?: RawAmountString
  txHash?: Hex
  detail?: string
  /** Refusals folded into this line (same site, same reason, within `foldWindowMs`). */
  repeats?: number
}

/** Enough history for the popup without letting storage grow without bound. */
export const maxEntries = 5_000
/** Longest detail kept; page- and server-supplied text is cut to this. */
export const maxDetailLength = 300
/** Refusals of one site with one reason within this window fold into one line. */
export const foldWindowMs = 60_000

export class Ledger {
  private serial = new Serial()

  constructor(private readonly items: Pick<AccountItems, 'ledger'>) {}

  /**
   * Adds a line. History never blocks money: if storage refuses the line
   * (quota reached), the payment or refusal it describes still stands, and
   * the loss is reported on the console.
   */
  append(input: Omit<LedgerEntry, 'at'> & { at?: number }): Promise<void> {
    const entry: LedgerEntry = { at: Date.now(), ...input, origin: bounded(input.origin, 200), detail: input.detail && bounded(input.detail, maxDetailLength) }
    return this.write(entry).catch((error: Error) => console.warn(`Drip could not record a ${entry.kind} line in its history: ${error.message}`))
  }

  private write(entry: LedgerEntry): Promise<void> {
    return this.serial.run('append', async () => {
      const entries = await this.items.ledger.getValue()
      const [latest] = entries
      if (entry.kind === 'refused' && latest?.kind === 'refused' && latest.origin === entry.origin && latest.detail === entry.detail && entry.at - latest.at < foldWindowMs) {
        entries[0] = { ...latest, at: entry.at, repeats: (latest.repeats ?? 1) + 1 }
        await this.items.ledger.setValue(entries)
        return
      }
      entries.unshift(entry)
      await this.items.ledger.setValue(entries.slice(0, maxEntries))
    })
  }

  async list(limit = 200): Promise<LedgerEntry[]> {
    return (await this.items.ledger.getValue()).slice(0, limit)
  }
}

/** Cuts page- or server-supplied text to a bounded length before it is stored. */
function bounded(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`
}
