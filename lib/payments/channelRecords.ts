/**
 * Drip's record of every channel it opened, per account: the site it pays,
 * where its management credentials go, its deposit, what Drip signed on it
 * and how it ended. These records, not mppx's cache and not a site's
 * receipts, are what the popup shows and what spend per site is summed from.
 *
 * mppx reads and writes channels through a `ChannelStore`; `mppxStoreFor`
 * adapts one site's records to it. The adapter only ever raises what mppx
 * reports (deposit, cumulative), and ignores mppx's deletions: a channel is
 * closed when the chain says so (`markClosed`), never because a close
 * credential was built.
 */
import type { ChannelStore } from 'mppx/client'
import { entryKey } from 'mppx/client'
import type { Address, Hex } from 'viem'
import { max, type RawAmount } from '@/lib/shared/amounts'
import { Serial } from '@/lib/shared/serial'
import type { ChannelRecord, MppxEntry } from '@/lib/storage/records'
import type { AccountItems } from '@/lib/storage/schema'
import { stepMark } from '@/lib/shared/stepMarks'

export type { ChannelRecord, MppxEntry } from '@/lib/storage/records'

/** mppx's store key for a channel's payee, token, escrow and chain (its `entryKey` reads only those). */
export function keyFor(terms: { payee: Address; token: Address; escrow: Address; chainId: number }): string {
  return entryKey({ descriptor: { payee: terms.payee, token: terms.token }, escrow: terms.escrow, chainId: terms.chainId } as MppxEntry)
}

/** How the writes mppx makes while building one credential are stored (`ChannelRecords.mppxStoreFor`). */
export type StoreOptions = {
  /**
   * The page-delivery marks of the voucher being signed (`unconfirmed`,
   * `reoffered`), stored in the same write as its cumulative: one storage
   * round trip before the credential leaves, not two.
   */
  voucherNotes?: Pick<ChannelRecord, 'unconfirmed' | 'reoffered'>
  /**
   * A channel mppx opens is handed here instead of stored: the opener
   * stores it with its opening, in one write (`channelDeposits.ts`).
   */
  onNewChannel?: (record: ChannelRecord) => void
}

/** The record of a channel mppx just opened for `origin`, paying `resourceUrl`. */
function newRecord(origin: string, resourceUrl: string, entry: MppxEntry): ChannelRecord {
  return {
    channelId: entry.channelId,
    origin,
    key: entryKey(entry),
    chainId: entry.chainId,
    escrow: entry.escrow,
    descriptor: entry.descriptor,
    deposit: entry.deposit.toString(),
    cumulative: entry.cumulativeAmount.toString(),
    resourceUrl,
    openedAt: Date.now(),
    status: 'open',
  }
}

export function toMppxEntry(record: ChannelRecord): MppxEntry {
  return {
    channelId: record.channelId,
    cumulativeAmount: BigInt(record.cumulative),
    deposit: BigInt(record.deposit),
    descriptor: record.descriptor,
    escrow: record.escrow,
    chainId: record.chainId,
    opened: record.status === 'open',
  }
}

/**
 * The account's channel records. They are read from storage once and then
 * kept in memory: this worker is their only writer, and every payment reads
 * them several times (a storage read costs ~0.5 ms in Chrome). Every change
 * is written to storage before the memory copy takes it, so a credential
 * that follows a change never leaves before the change is stored. Readers
 * get copies: nothing outside `update` changes the kept records.
 */
export class ChannelRecords {
  private serial = new Serial()
  private cached: Promise<Record<string, ChannelRecord>> | undefined

  constructor(private readonly items: Pick<AccountItems, 'channels'>) {}

  private byId(): Promise<Record<string, ChannelRecord>> {
    this.cached ??= this.items.channels.getValue().catch((error: unknown) => {
      this.cached = undefined
      throw error
    })
    return this.cached
  }

  async all(): Promise<ChannelRecord[]> {
    return Object.values(await this.byId()).map((record) => ({ ...record }))
  }

  async get(channelId: Hex): Promise<ChannelRecord | undefined> {
    const record = (await this.byId())[channelId.toLowerCase()]
    return record && { ...record }
  }

  /** The site's open channel for these terms, if any. */
  async openFor(origin: string, key: string): Promise<ChannelRecord | undefined> {
    return (await this.all()).find((record) => record.origin === origin && record.key === key && record.status === 'open')
  }

  /** Signed by Drip per site, over every channel it ever had (open and closed; not one whose open never landed). */
  async spentByOrigin(): Promise<Record<string, RawAmount>> {
    const totals: Record<string, RawAmount> = {}
    for (const record of await this.all()) if (!record.neverOpened) totals[record.origin] = (totals[record.origin] ?? 0n) + BigInt(record.cumulative)
    return totals
  }

  /** Stores `change` of one record (given a copy of it), then keeps it in memory; returns a copy of the new record. */
  update(channelId: Hex, change: (current: ChannelRecord | undefined) => ChannelRecord | undefined): Promise<ChannelRecord | undefined> {
    return this.serial.run('channels', async () => {
      const all = await this.byId()
      const current = all[channelId.toLowerCase()]
      const next = change(current && { ...current })
      if (!next) return undefined
      const id = channelId.toLowerCase()
      await this.items.channels.setRecord(id, { ...next }, current ? undefined : Object.keys(all))
      const changed = { ...all, [id]: { ...next } }
      this.cached = Promise.resolve(changed)
      return { ...next }
    })
  }

  /** The chain says the channel is closed: record how it ended. */
  markClosed(channelId: Hex, outcome: { refunded?: RawAmount; settledToPayee?: RawAmount }, now = Date.now()) {
    return this.update(channelId, (current) =>
      current && {
        ...current,
        status: 'closed',
        closedAt: now,
        refunded: outcome.refunded?.toString(),
        settledToPayee: outcome.settledToPayee?.toString(),
      },
    )
  }

  /**
   * One site's records as mppx's ChannelStore. A channel mppx opens becomes
   * a record for `origin` paying `resourceUrl`; later writes only raise its
   * deposit and cumulative; deletions are ignored. `options`: how the
   * writes mppx makes for one credential are stored.
   */
  mppxStoreFor(origin: string, resourceUrl: string, options: StoreOptions = {}): ChannelStore {
    return {
      get: async (key) => {
        const record = await this.openFor(origin, key)
        return record && toMppxEntry(record)
      },
      set: async (entry) => {
        if (options.onNewChannel && !(await this.get(entry.channelId))) return options.onNewChannel(newRecord(origin, resourceUrl, entry))
        stepMark('worker: voucher signed')
        await this.update(entry.channelId, (current) => {
          if (!current) return newRecord(origin, resourceUrl, entry)
          return {
            ...current,
            ...options.voucherNotes,
            deposit: max(BigInt(current.deposit), entry.deposit).toString(),
            cumulative: max(BigInt(current.cumulative), entry.cumulativeAmount).toString(),
          }
        })
      },
      delete: async () => {},
    }
  }
}
