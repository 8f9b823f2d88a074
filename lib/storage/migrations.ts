/**
 * The migrations between storage versions (`schema.ts` names each
 * version): `migrations[n]` takes a version-n store to version n + 1, and
 * `migrate` runs the ones a store needs at start-up. Each is a pure
 * function of the stored data (`store → StoreChange`, tested on data);
 * only `applyToLocal` and the history's move to IndexedDB touch storage.
 */
import { browser } from 'wxt/browser'
import type { Address } from 'viem'
import type { ChannelRecord } from '@/lib/payments/channelRecords'
import type { LedgerEntry } from '@/lib/payments/ledger'
import type { Approval } from '@/lib/payments/policy'
import type { RawAmountString } from '@/lib/shared/amounts'
import { maxSignAhead } from '@/lib/streams/lookahead'
import { accountItems, channelKey, channelListKey, currentVersion, openHistory, schemaVersion, signAhead, vault } from './schema'

/** Runs the migrations a store needs, once, at start-up. */
export async function migrate(): Promise<void> {
  const from = (await schemaVersion.getValue()) ?? ((await vault.getValue()) ? 1 : currentVersion)
  for (let version = from; version < currentVersion; version++) await migrations[version]!()
  if (from !== currentVersion || (await schemaVersion.getValue()) === null) await schemaVersion.setValue(currentVersion)
}

/** What a migration does to `storage.local`: keys to write, keys to remove. */
export type StoreChange = { set: Record<string, unknown>; remove: string[] }

/** Reads `storage.local` whole, has `change` say what changes, and applies it. */
async function applyToLocal(change: (store: Record<string, unknown>) => StoreChange): Promise<void> {
  const { set, remove } = change(await browser.storage.local.get(null))
  if (Object.keys(set).length) await browser.storage.local.set(set)
  if (remove.length) await browser.storage.local.remove(remove)
}

/** `migrations[n]` takes a version-n store to version n + 1. */
const migrations: Record<number, () => Promise<void>> = {
  1: () => applyToLocal(channelRecordsV2),
  2: () => applyToLocal(pricesPerUnitV3),
  /** 3 → 4: each `ledger:<account>` list (newest first) is appended, oldest first, to the IndexedDB history. */
  async 3() {
    const lists = historyListsV3(await browser.storage.local.get(null))
    if (lists.length === 0) return
    const history = await openHistory()
    const tx = history.transaction('entries', 'readwrite')
    for (const { account, entries } of lists) for (const entry of [...entries].reverse()) await tx.store.add({ ...entry, account })
    await tx.done
    await browser.storage.local.remove(lists.map(({ key }) => key))
  },
  4: () => applyToLocal(perPaymentLimitsV5),
  5: () => applyToLocal(signAheadInMoneyV6),
  6: () => applyToLocal(channelPerItemV7),
}

const accountKey = /^(approvals|ledger):(0x[0-9a-f]{40})$/

/**
 * 1 → 2: channels were mppx's JSON entries under `channels:<account>:<origin>:<mppx key>`
 * with Drip's notes in `channelMeta:<account>`; now one record per channel in `channels:<account>`.
 */
export function channelRecordsV2(store: Record<string, unknown>): StoreChange {
  const records: Record<string, Record<string, ChannelRecord>> = {}
  const remove: string[] = []
  for (const [key, value] of Object.entries(store)) {
    const match = /^channels:(0x[0-9a-f]{40}):([^:]+):(.+)$/.exec(key)
    if (!match || typeof value !== 'string') continue
    const [, account, encodedOrigin, mppxKey] = match as unknown as [string, string, string, string]
    const stored = JSON.parse(value) as { channelId: `0x${string}`; cumulativeAmount: string; deposit: string; descriptor: ChannelRecord['descriptor']; escrow: Address; chainId: number; opened: boolean }
    const meta = ((store[`channelMeta:${account}`] ?? {}) as Record<string, { resourceUrl?: string; openedAt?: number; closedAt?: number; refunded?: string; settledToPayee?: string }>)[stored.channelId.toLowerCase()]
    const byId = (records[`channels:${account}`] ??= {})
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
    remove.push(key)
  }
  remove.push(...Object.keys(store).filter((key) => key.startsWith('channelMeta:')))
  return { set: records, remove }
}

/**
 * 6 → 7: each account's `channels:<account>` (every record, by channel id)
 * becomes one item per record and the list of their ids: a voucher then
 * rewrites its own record, not all of them (with 200 past channels,
 * `PAST_CHANNELS=200 npm run bench:share` measured Drip's share of a paid
 * photo at 163 ms before, 17 ms after). Written before the old item goes.
 */
export function channelPerItemV7(store: Record<string, unknown>): StoreChange {
  const set: Record<string, unknown> = {}
  const remove: string[] = []
  for (const [key, value] of Object.entries(store)) {
    const account = /^channels:(0x[0-9a-f]{40})$/.exec(key)?.[1]
    if (!account || value === null || typeof value !== 'object') continue
    const ids = Object.keys(value).map((id) => id.toLowerCase())
    for (const [id, record] of Object.entries(value as Record<string, ChannelRecord>)) set[channelKey(account, id)] = record
    set[channelListKey(account)] = ids
    remove.push(key)
  }
  return { set, remove }
}

/** Each account's stored approvals, by key. */
function approvalsByKey(store: Record<string, unknown>): [string, Record<string, Approval & Record<string, unknown>>][] {
  return Object.entries(store).filter(([key, value]) => accountKey.exec(key)?.[1] === 'approvals' && value !== null && typeof value === 'object') as [string, Record<string, Approval & Record<string, unknown>>][]
}

/** 2 → 3: `{ price, unitType }` becomes `prices: { [unitType]: price }`. */
export function pricesPerUnitV3(store: Record<string, unknown>): StoreChange {
  const set: Record<string, unknown> = {}
  for (const [key, byOrigin] of approvalsByKey(store)) {
    const migrated: Record<string, Approval> = {}
    for (const [origin, old] of Object.entries(byOrigin as Record<string, Approval & { price?: string; unitType?: string }>)) {
      const { price, unitType, ...rest } = old
      migrated[origin] = price !== undefined && unitType !== undefined ? { ...rest, prices: { [unitType]: price } } : old
    }
    set[key] = migrated
  }
  return { set, remove: [] }
}

/** 3 → 4, the part on data: each account's history list, to append to IndexedDB, and its key to remove. */
export function historyListsV3(store: Record<string, unknown>): { key: string; account: string; entries: LedgerEntry[] }[] {
  return Object.entries(store)
    .filter(([key, value]) => accountKey.exec(key)?.[1] === 'ledger' && Array.isArray(value))
    .map(([key, value]) => ({ key, account: key.slice('ledger:'.length), entries: value as LedgerEntry[] }))
}

/** 4 → 5: every approval gets a per-payment limit (`approvalV5`). */
export function perPaymentLimitsV5(store: Record<string, unknown>): StoreChange {
  const set: Record<string, unknown> = {}
  for (const [key, byOrigin] of approvalsByKey(store)) set[key] = Object.fromEntries(Object.entries(byOrigin).map(([origin, old]) => [origin, approvalV5(old)]))
  return { set, remove: [] }
}

/** 5 → 6: the units-ahead count becomes an amount (`signAheadV6`); absent, the new default holds. */
export function signAheadInMoneyV6(store: Record<string, unknown>): StoreChange {
  const old = 'settings.streamLookahead'
  const amount = signAheadV6(store[old])
  // `signAhead` is `local:settings.signAhead`: its key in `storage.local` is the part after `local:`.
  return { set: amount === undefined ? {} : { [signAhead.key.replace(/^local:/, '')]: amount }, remove: [old] }
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
