/**
 * Everything Drip stores, in one place: each item with its key and what it
 * holds, the schema version, the migrations between versions, and the exact
 * wipe of one account.
 *
 * `storage.local` (trusted contexts only) holds the vault, settings and the
 * per-account records; `storage.session` holds only what must survive a
 * service-worker restart but not a browser restart: the derived vault key and
 * the sites the reader denied this session. History lines live in
 * IndexedDB (`drip-history`), where appending one is O(1) (a `storage.local`
 * item is rewritten whole on every write). Money is stored in raw units as
 * decimal strings (`RawAmountString`).
 */
import { defaultSignAhead, maxSignAhead } from '@/lib/streams/lookahead'
import { type DBSchema, type IDBPDatabase, openDB } from 'idb'
import type { Address } from 'viem'
import { browser } from 'wxt/browser'
import { storage } from 'wxt/utils/storage'
import type { NetworkSettings } from '@/lib/chain/networkSettings'
import type { Budgets, Spending } from '@/lib/payments/budgets'
import type { ChannelRecord } from '@/lib/payments/channelRecords'
import type { LedgerEntry } from '@/lib/payments/ledger'
import type { Approval } from '@/lib/payments/policy'
import type { PendingRequest } from '@/lib/payments/waitingRequests'
import type { RawAmountString } from '@/lib/shared/amounts'
import type { UndeliveredResponse } from '@/lib/streams/undelivered'
import type { EncryptedKey } from '@/lib/wallet/vault'

/**
 * 1: the layout before this schema (channels in mppx's JSON, one key per channel).
 * 2: Drip's own channel records, one item per account.
 * 3: approvals pin a price per unit type (`prices`) instead of one `price` and `unitType`.
 * 4: history moves from `ledger:<account>` lists in `storage.local` to IndexedDB.
 * 5: one approval per site: a per-payment limit (`perPaymentLimit`) instead of a price per unit type and a ceiling.
 * 6: sign-ahead in money (`settings.signAhead`) instead of a count of units (`settings.streamLookahead`).
 */
export const currentVersion = 6

/** The layout version of what is in storage; absent on a fresh install or a version-1 store. */
export const schemaVersion = storage.defineItem<number | null>('local:schemaVersion', { fallback: null })

// The wallet
/** The account's private key, encrypted (see `wallet/vault.ts`). */
export const vault = storage.defineItem<EncryptedKey | null>('local:vault', { fallback: null })
/** The AES key derived from the password (never the password), so a restarted worker stays unlocked. */
export const vaultSessionKey = storage.defineItem<string | null>('session:vault.key', { fallback: null })
export const defaultAutoLockMinutes = 15
/** Minutes of inactivity before Drip locks itself. */
export const autoLockMinutes = storage.defineItem<number>('local:settings.autoLockMinutes', { fallback: defaultAutoLockMinutes })

// Settings
/** Active network, RPC URLs the reader typed and networks turned on or off. */
export const networkSettings = storage.defineItem<NetworkSettings>('local:settings.networks', {
  fallback: { activeId: 'localnet', rpcUrls: {}, enabled: {} },
})
/** $5: the max deposit suggested for a new approval when the site suggests more. */
export const fallbackDefaultCap = 5_000_000n
/** The max deposit suggested for a new approval, raw units. */
export const defaultCap = storage.defineItem<RawAmountString>('local:settings.defaultCap', { fallback: fallbackDefaultCap.toString() })
/** $0.10: the per-payment limit pre-filled for a new approval (a payment above it asks again). */
export const fallbackPerPaymentLimit = 100_000n
/** The per-payment limit pre-filled for a new approval, raw units. */
export const defaultPerPaymentLimit = storage.defineItem<RawAmountString>('local:settings.defaultPerPaymentLimit', { fallback: fallbackPerPaymentLimit.toString() })
/** 0, automatic: a channel opens with half the cap and tops up once with the rest (`deposits.ts`). */
export const fallbackDepositUnits = 0
/** Units per deposit step, as the reader set it in Advanced; 0 is automatic. */
export const depositUnits = storage.defineItem<number>('local:settings.depositUnits', { fallback: fallbackDepositUnits })
/** $0.01: how much Drip may sign beyond what a stream delivered (ten words at $0.001, one photo at $0.01). */
export const fallbackSignAhead = defaultSignAhead
/** How much Drip may sign beyond what a stream delivered, raw units (it replaces the unit count `settings.streamLookahead`). */
export const signAhead = storage.defineItem<RawAmountString>('local:settings.signAhead', { fallback: fallbackSignAhead.toString() })

// Per account
type ByOrigin<T> = Record<string, T>

function accountId(account: Address): string {
  return account.toLowerCase()
}

/** The items one account owns. Another account never sees them; `wipeAccount` removes exactly these. */
export function accountItems(account: Address) {
  const id = accountId(account)
  return {
    /** Approved sites by page origin: pinned terms and cap. */
    approvals: storage.defineItem<ByOrigin<Approval>>(`local:approvals:${id}`, { fallback: {} }),
    /** Sites waiting for the reader, by page origin: the terms of their first 402. */
    pending: storage.defineItem<ByOrigin<PendingRequest>>(`local:pending:${id}`, { fallback: {} }),
    /** Origins the reader denied for this browser session. */
    denied: storage.defineItem<string[]>(`session:denied:${id}`, { fallback: [] }),
    /** Every channel Drip opened, by channel id: what Drip signed, its deposit and how it ended. */
    channels: storage.defineItem<Record<string, ChannelRecord>>(`local:channels:${id}`, { fallback: {} }),
    /** Daily and monthly limits, per site and overall (`payments/budgets.ts`). */
    budgets: storage.defineItem<Budgets>(`local:budgets:${id}`, { fallback: { overall: {}, sites: {}, notify: true } }),
    /** What Drip signed per site per local day, the last 62 days, for budgets and insights. */
    spending: storage.defineItem<Spending>(`local:spending:${id}`, { fallback: {} }),
    /** Paid responses the page may not have received (the worker ended in between), kept a minute (`streams/undelivered.ts`). */
    undelivered: storage.defineItem<UndeliveredResponse[]>(`session:undelivered:${id}`, { fallback: [] }),
  }
}

export type AccountItems = ReturnType<typeof accountItems>

// History
/** One history line as stored: the account it belongs to, and its key (insertion order). */
export type StoredLedgerEntry = LedgerEntry & { account: string; id?: number }

export interface HistorySchema extends DBSchema {
  /** Every account's history lines; `byAccount` lists one account's in insertion order. */
  entries: { key: number; value: StoredLedgerEntry; indexes: { byAccount: [string, number] } }
}

/** The IndexedDB database of history lines, version 1. */
export function openHistory(): Promise<IDBPDatabase<HistorySchema>> {
  return openDB<HistorySchema>('drip-history', 1, {
    upgrade(db) {
      db.createObjectStore('entries', { keyPath: 'id', autoIncrement: true }).createIndex('byAccount', ['account', 'id'])
    },
  })
}

/** One account's lines in `byAccount`. */
export function historyRange(account: Address | string): IDBKeyRange {
  const id = accountId(account as Address)
  return IDBKeyRange.bound([id, 0], [id, Number.MAX_SAFE_INTEGER])
}

/** Removes everything stored for one account, in local and session storage and its history, and nothing else. */
export async function wipeAccount(account: Address): Promise<void> {
  await Promise.all(Object.values(accountItems(account)).map((item) => item.removeValue()))
  const history = await openHistory()
  const tx = history.transaction('entries', 'readwrite')
  for (let cursor = await tx.store.index('byAccount').openCursor(historyRange(account)); cursor; cursor = await cursor.continue()) await cursor.delete()
  await tx.done
}

/**
 * Content scripts run in the page's renderer and need no storage: keep both
 * areas to Drip's own pages and worker. Session storage is trusted-only by
 * default; local storage can be restricted in Chromium, while Firefox
 * supports the setting for session storage only (and keeps local to the
 * extension's own contexts where content scripts do not use it).
 */
export async function restrictToTrustedContexts(): Promise<void> {
  for (const area of [browser.storage.session, browser.storage.local] as { setAccessLevel?: (options: { accessLevel: string }) => Promise<void> }[]) {
    try {
      await area.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' })
    } catch {
      // Not supported for this area in this browser.
    }
  }
}

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
