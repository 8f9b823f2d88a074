/**
 * The migrations between storage versions (`schema.ts` names each
 * version): `migrations[n]` takes a version-n store to version n + 1, and
 * `migrate` runs the ones a store needs at start-up. The rules that change
 * one stored value are pure functions, tested on data.
 */
import { browser } from 'wxt/browser'
import type { Address } from 'viem'
import type { ChannelRecord } from '@/lib/payments/channelRecords'
import type { LedgerEntry } from '@/lib/payments/ledger'
import type { Approval } from '@/lib/payments/policy'
import type { RawAmountString } from '@/lib/shared/amounts'
import { maxSignAhead } from '@/lib/streams/lookahead'
import { accountItems, currentVersion, openHistory, schemaVersion, signAhead, vault } from './schema'

/** Runs the migrations a store needs, once, at start-up. */
export async function migrate(): Promise<void> {
  const from = (await schemaVersion.getValue()) ?? ((await vault.getValue()) ? 1 : currentVersion)
  for (let version = from; version < currentVersion; version++) await migrations[version]!()
  if (from !== currentVersion || (await schemaVersion.getValue()) === null) await schemaVersion.setValue(currentVersion)
}

/** `migrations[n]` takes a version-n store to version n + 1. */
const migrations: Record<number, () => Promise<void>> = {
  /**
   * 1 → 2: channels were mppx's JSON entries under `channels:<account>:<origin>:<mppx key>`
   * with Drip's notes in `channelMeta:<account>`; now one record per channel in `channels:<account>`.
   */
  async 1() {
    const all = await browser.storage.local.get(null)
    const records = new Map<string, Record<string, ChannelRecord>>()
    const stale: string[] = []
    for (const [key, value] of Object.entries(all)) {
      const match = /^channels:(0x[0-9a-f]{40}):([^:]+):(.+)$/.exec(key)
      if (!match || typeof value !== 'string') continue
      const [, account, encodedOrigin, mppxKey] = match as unknown as [string, string, string, string]
      const stored = JSON.parse(value) as { channelId: `0x${string}`; cumulativeAmount: string; deposit: string; descriptor: ChannelRecord['descriptor']; escrow: Address; chainId: number; opened: boolean }
      const meta = ((all[`channelMeta:${account}`] ?? {}) as Record<string, { resourceUrl?: string; openedAt?: number; closedAt?: number; refunded?: string; settledToPayee?: string }>)[stored.channelId.toLowerCase()]
      const byId = records.get(account) ?? {}
      byId[stored.channelId.toLowerCase()] = {
        channelId: stored.channelId,
        origin: decodeURIComponent(encodedOrigin),
        key: mppxKey,
        chainId: stored.chainId,
        escrow: stored.escrow,
        descriptor: stored.descriptor,
        deposit: stored.deposit,
        cumulative: stored.cumulativeAmount,
        resourceUrl: meta?.resourceUrl ?? '',
        openedAt: meta?.openedAt ?? 0,
        status: stored.opened && meta?.closedAt === undefined ? 'open' : 'closed',
        closedAt: meta?.closedAt,
        refunded: meta?.refunded,
        settledToPayee: meta?.settledToPayee,
      }
      records.set(account, byId)
      stale.push(key)
    }
    for (const [account, byId] of records) await accountItems(account as Address).channels.setValue(byId)
    const metaKeys = Object.keys(all).filter((key) => key.startsWith('channelMeta:'))
    await browser.storage.local.remove([...stale, ...metaKeys])
  },
  /** 2 → 3: `{ price, unitType }` becomes `prices: { [unitType]: price }`. */
  async 2() {
    const all = await browser.storage.local.get(null)
    for (const [key, value] of Object.entries(all)) {
      if (!/^approvals:0x[0-9a-f]{40}$/.test(key) || !value || typeof value !== 'object') continue
      const migrated: Record<string, Approval> = {}
      for (const [origin, old] of Object.entries(value as Record<string, Approval & { price?: string; unitType?: string }>)) {
        const { price, unitType, ...rest } = old
        migrated[origin] = price !== undefined && unitType !== undefined ? { ...rest, prices: { [unitType]: price } } : old
      }
      await browser.storage.local.set({ [key]: migrated })
    }
  },
  /** 3 → 4: each `ledger:<account>` list (newest first) is appended, oldest first, to the IndexedDB history. */
  async 3() {
    const all = await browser.storage.local.get(null)
    const lists = Object.entries(all).filter(([key, value]) => /^ledger:0x[0-9a-f]{40}$/.test(key) && Array.isArray(value)) as [string, LedgerEntry[]][]
    if (lists.length === 0) return
    const history = await openHistory()
    const tx = history.transaction('entries', 'readwrite')
    for (const [key, entries] of lists) for (const entry of [...entries].reverse()) await tx.store.add({ ...entry, account: key.slice('ledger:'.length) })
    await tx.done
    await browser.storage.local.remove(lists.map(([key]) => key))
  },
  /** 4 → 5: every approval gets a per-payment limit (`approvalV5`). */
  async 4() {
    const all = await browser.storage.local.get(null)
    for (const [key, value] of Object.entries(all)) {
      if (!/^approvals:0x[0-9a-f]{40}$/.test(key) || !value || typeof value !== 'object') continue
      const byOrigin = value as Record<string, Approval & { priceCeiling?: string }>
      await browser.storage.local.set({ [key]: Object.fromEntries(Object.entries(byOrigin).map(([origin, old]) => [origin, approvalV5(old)])) })
    }
  },
  /** 5 → 6: the units-ahead count becomes an amount (`signAheadV6`); absent, the new default holds. */
  async 5() {
    const key = 'settings.streamLookahead'
    const { [key]: units } = await browser.storage.local.get(key)
    const amount = signAheadV6(units)
    if (amount !== undefined) await signAhead.setValue(amount)
    await browser.storage.local.remove(key)
  },
}

/**
 * 5 → 6 on the stored units-ahead count: nothing stored keeps the new
 * default ($0.01); 0 stays 0 (the reader saw and kept "exactly as
 * delivered"); N units become N words' worth at $0.001, at most $1. Drip
 * never signs further ahead than the reader had allowed for words.
 */
export function signAheadV6(units: unknown): RawAmountString | undefined {
  if (typeof units !== 'number' || !Number.isFinite(units) || units < 0) return undefined
  const amount = BigInt(Math.floor(units)) * 1_000n
  return (amount > maxSignAhead ? maxSignAhead : amount).toString()
}

/**
 * 4 → 5 on one stored approval: the largest price the reader approved
 * becomes the per-payment limit, unless the reader's price ceiling was
 * lower; the ceiling goes. Pure, so it is tested on data.
 */
export function approvalV5(old: Approval & { priceCeiling?: string }): Approval {
  if (old.perPaymentLimit !== undefined) return old
  const { priceCeiling, ...rest } = old
  const largest = Object.values(old.prices ?? {}).reduce((most, price) => (BigInt(price) > most ? BigInt(price) : most), 0n)
  const limit = priceCeiling !== undefined && BigInt(priceCeiling) < largest ? BigInt(priceCeiling) : largest
  return { ...rest, perPaymentLimit: limit.toString() }
}
