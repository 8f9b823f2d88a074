/**
 * Drip's history, newest first: opens, vouchers, top-ups, one-shot charges, closes,
 * withdrawals, approvals and refusals, per account, in IndexedDB (see
 * `storage/schema.ts`): appending a line costs the same with 10 lines of
 * history or 5,000. History only: spend is summed from the channel records.
 * Every text is bounded, refusals for one site within a minute fold into
 * one line with a count, and the oldest lines go past `maxEntries`, so no
 * page can fill storage through it.
 */
import type { Address } from 'viem'
import { Serial } from '@/lib/shared/serial'
import type { LedgerEntry } from '@/lib/storage/records'
import * as Schema from '@/lib/storage/schema'

export type { LedgerEntry, LedgerKind } from '@/lib/storage/records'

/** Enough history for the popup without letting storage grow without bound. */
export const maxEntries = 5_000
/** The history is trimmed back to `maxEntries` once per this many appends (so it holds at most `maxEntries + pruneEvery - 1`). */
export const pruneEvery = 100
/** Longest detail kept; page- and server-supplied text is cut to this. */
export const maxDetailLength = 300
/** Refusals of one site with one reason within this window fold into one line. */
export const foldWindowMs = 60_000

/** What a page payment bought, for its history line: "one photo, /api/sessions/photo". */
export function purchaseDetail(unitType: string, resourceUrl: string): string {
  let path = resourceUrl
  try {
    path = new URL(resourceUrl).pathname
  } catch {
    // Not a URL: the text as it is.
  }
  return `one ${unitType}, ${path}`.slice(0, maxDetailLength)
}

export class Ledger {
  private serial = new Serial()
  private database: ReturnType<typeof Schema.openHistory> | undefined
  private appended = 0

  constructor(
    private readonly account: Address,
    private readonly bounds = { maxEntries, pruneEvery },
  ) {}

  /**
   * Adds a line. History never blocks money: if storage refuses the line
   * (quota reached), the payment or refusal it describes still stands, and
   * the loss is reported on the console. Nor does it slow money down: the
   * line is written once the current task is over, so a voucher's line is
   * written after its paid request has left (opening its IndexedDB
   * transaction took ~0.6 ms of the worker before); the history's readers
   * still wait for it (`list`).
   */
  append(input: Omit<LedgerEntry, 'at'> & { at?: number }): Promise<void> {
    const entry: LedgerEntry = { at: Date.now(), ...input, origin: bounded(input.origin, 200), detail: input.detail && bounded(input.detail, maxDetailLength) }
    return this.write(entry).catch((error: Error) => console.warn(`Drip could not record a ${entry.kind} line in its history: ${error.message}`))
  }

  private history() {
    return (this.database ??= Schema.openHistory())
  }

  private write(entry: LedgerEntry): Promise<void> {
    return this.serial.run('append', async () => {
      await afterThisTask()
      const tx = (await this.history()).transaction('entries', 'readwrite')
      const byAccount = tx.store.index('byAccount')
      // Only a refusal may fold into the line before it: no other line reads that line.
      const latest = entry.kind === 'refused' ? await byAccount.openCursor(Schema.historyRange(this.account), 'prev') : undefined
      const previous = latest?.value
      if (entry.kind === 'refused' && previous?.kind === 'refused' && previous.origin === entry.origin && previous.detail === entry.detail && entry.at - previous.at < foldWindowMs) {
        await latest!.update({ ...previous, at: entry.at, repeats: (previous.repeats ?? 1) + 1 })
      } else {
        await tx.store.add({ ...entry, account: this.account.toLowerCase() })
        if (++this.appended % this.bounds.pruneEvery === 0) {
          let excess = (await byAccount.count(Schema.historyRange(this.account))) - this.bounds.maxEntries
          for (let cursor = await byAccount.openCursor(Schema.historyRange(this.account)); cursor && excess > 0; cursor = await cursor.continue(), excess--) await cursor.delete()
        }
      }
      await tx.done
    })
  }

  /** The newest `limit` lines, newest first, once the lines appended before this call are in. */
  list(limit = 200): Promise<LedgerEntry[]> {
    return this.serial.run('append', () => this.newest(limit))
  }

  private async newest(limit: number): Promise<LedgerEntry[]> {
    const tx = (await this.history()).transaction('entries')
    const lines: LedgerEntry[] = []
    for (let cursor = await tx.store.index('byAccount').openCursor(Schema.historyRange(this.account), 'prev'); cursor && lines.length < limit; cursor = await cursor.continue()) {
      const { account: _, id: __, ...line } = cursor.value
      lines.push(line)
    }
    return lines
  }
}

/** Resolves once the task running now (and the work it queued as microtasks) is over. */
function afterThisTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0))
}

/** Cuts page- or server-supplied text to a bounded length before it is stored. */
function bounded(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`
}
