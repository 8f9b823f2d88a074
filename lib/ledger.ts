/**
 * Drip's record of what happened, newest first: every open, voucher, top-up,
 * close, withdrawal and refusal, per account. The popup's activity and
 * per-site spend are read from here.
 */
import type { Address, Hex } from 'viem'
import { storage } from 'wxt/utils/storage'
import { Serial } from './serial'

export type Kind =
  | 'open'
  | 'voucher'
  | 'topUp'
  | 'receipt'
  | 'close'
  | 'requestClose'
  | 'withdraw'
  | 'refused'
  | 'approved'
  | 'revoked'
  | 'denied'

export type Entry = {
  at: number
  origin: string
  kind: Kind
  channelId?: Hex
  /** Cumulative amount signed on the channel after this event, raw units. */
  cumulative?: string
  /** Money moved by this event (deposit, top-up, refund), raw units. */
  amount?: string
  txHash?: Hex
  detail?: string
}

/** Enough history for the popup without letting storage grow without bound. */
export const maxEntries = 5_000

export class Ledger {
  private serial = new Serial()

  constructor(private readonly account: Address) {}

  private get key(): `local:${string}` {
    return `local:ledger:${this.account.toLowerCase()}`
  }

  append(entry: Omit<Entry, 'at'> & { at?: number }): Promise<void> {
    return this.serial.run('append', async () => {
      const entries = (await storage.getItem<Entry[]>(this.key)) ?? []
      entries.unshift({ at: Date.now(), ...entry })
      await storage.setItem(this.key, entries.slice(0, maxEntries))
    })
  }

  async list(limit = 200): Promise<Entry[]> {
    return ((await storage.getItem<Entry[]>(this.key)) ?? []).slice(0, limit)
  }

  /** Spend per site: the highest cumulative signed on each of its channels, summed. */
  async spendByOrigin(): Promise<Record<string, string>> {
    const highest = new Map<string, { origin: string; cumulative: bigint }>()
    for (const entry of (await storage.getItem<Entry[]>(this.key)) ?? []) {
      if (!entry.channelId || entry.cumulative === undefined) continue
      const current = highest.get(entry.channelId)
      const cumulative = BigInt(entry.cumulative)
      if (!current || cumulative > current.cumulative) highest.set(entry.channelId, { origin: entry.origin, cumulative })
    }
    const totals: Record<string, bigint> = {}
    for (const { origin, cumulative } of highest.values()) totals[origin] = (totals[origin] ?? 0n) + cumulative
    return Object.fromEntries(Object.entries(totals).map(([origin, total]) => [origin, total.toString()]))
  }
}
