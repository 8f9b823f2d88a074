/**
 * Channel records. mppx's ChannelStore (keyed by payee, token, escrow and
 * chain) is kept on `browser.storage.local` under a prefix per account and
 * site origin, so two sites with the same payee never share a channel or a
 * cap, and channels survive a service-worker restart. Beside it Drip keeps
 * what mppx does not: which URL a channel pays for and how it ended.
 */
import { createJsonChannelStore, type ChannelStore, entryKey } from 'mppx/client'
import type { Address, Hex } from 'viem'
import { browser } from 'wxt/browser'
import { storage } from 'wxt/utils/storage'
import { Serial } from './serial'

export type Entry = NonNullable<Awaited<ReturnType<ChannelStore['get']>>>

export type Meta = {
  origin: string
  /** Where management credentials (top-up, close) are POSTed. */
  resourceUrl: string
  openedAt: number
  closedAt?: number
  /** Refunded to the payer when the channel closed, raw units. */
  refunded?: string
  /** Captured by the payee over the channel's life, raw units. */
  settledToPayee?: string
}

export type ChannelRecord = { origin: string; entry: Entry; meta: Meta | undefined }

function prefix(account: Address, origin?: string): string {
  return `channels:${account.toLowerCase()}:${origin === undefined ? '' : `${encodeURIComponent(origin)}:`}`
}

/** mppx's store key for a channel's payee, token, escrow and chain (its `entryKey`, which reads only those). */
export function keyFor(terms: { payee: Address; token: Address; escrow: Address; chainId: number }): string {
  return entryKey({ descriptor: { payee: terms.payee, token: terms.token }, escrow: terms.escrow, chainId: terms.chainId } as Entry)
}

/** The ChannelStore mppx uses for one account and one site. */
export function storeFor(account: Address, origin: string): ChannelStore {
  const base = prefix(account, origin)
  return createJsonChannelStore({
    get: async (key) => (await storage.getItem<string>(`local:${base}${key}`)) ?? undefined,
    set: (key, value) => storage.setItem(`local:${base}${key}`, value),
    delete: (key) => storage.removeItem(`local:${base}${key}`),
  })
}

/** Every channel entry of an account, across sites. */
export async function list(account: Address): Promise<ChannelRecord[]> {
  const all = await browser.storage.local.get(null)
  const base = prefix(account)
  const metas = await Metas.of(account).all()
  const records: ChannelRecord[] = []
  for (const [key, value] of Object.entries(all)) {
    if (!key.startsWith(base) || typeof value !== 'string') continue
    const origin = decodeURIComponent(key.slice(base.length).split(':')[0]!)
    const stored = JSON.parse(value)
    const entry: Entry = { ...stored, cumulativeAmount: BigInt(stored.cumulativeAmount), deposit: BigInt(stored.deposit) }
    records.push({ origin, entry, meta: metas[entry.channelId.toLowerCase()] })
  }
  return records
}

export class Metas {
  private static instances = new Map<string, Metas>()
  private serial = new Serial()

  static of(account: Address): Metas {
    const key = account.toLowerCase()
    let instance = Metas.instances.get(key)
    if (!instance) Metas.instances.set(key, (instance = new Metas(account)))
    return instance
  }

  private constructor(private readonly account: Address) {}

  private get key(): `local:${string}` {
    return `local:channelMeta:${this.account.toLowerCase()}`
  }

  async all(): Promise<Record<string, Meta>> {
    return (await storage.getItem<Record<string, Meta>>(this.key)) ?? {}
  }

  async get(channelId: Hex): Promise<Meta | undefined> {
    return (await this.all())[channelId.toLowerCase()]
  }

  update(channelId: Hex, change: (current: Meta | undefined) => Meta): Promise<void> {
    return this.serial.run('meta', async () => {
      const all = await this.all()
      all[channelId.toLowerCase()] = change(all[channelId.toLowerCase()])
      await storage.setItem(this.key, all)
    })
  }
}
