/**
 * Everything Drip stores, in one place: each item with its key and what it
 * holds, the schema version (the migrations between versions are `migrations.ts`), and the exact
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
import { defaultSignAhead } from '@/lib/streams/lookahead'
import { type DBSchema, type IDBPDatabase, openDB } from 'idb'
import type { Address } from 'viem'
import { browser } from 'wxt/browser'
import { storage } from 'wxt/utils/storage'
import type { Budgets, Spending } from '@/lib/payments/budgets'
import type { Approval } from '@/lib/payments/policy'
import type { PendingRequest } from '@/lib/payments/waitingRequests'
import type { RawAmountString } from '@/lib/shared/amounts'
import type { EncryptedKey } from '@/lib/wallet/vault'
import type { ChannelRecord, LedgerEntry, NetworkSettings, UndeliveredResponse } from './records'

/**
 * 1: the layout before this schema (channels in mppx's JSON, one key per channel).
 * 2: Drip's own channel records, one item per account.
 * 3: approvals pin a price per unit type (`prices`) instead of one `price` and `unitType`.
 * 4: history moves from `ledger:<account>` lists in `storage.local` to IndexedDB.
 * 5: one approval per site: a per-payment limit (`perPaymentLimit`) instead of a price per unit type and a ceiling.
 * 6: sign-ahead in money (`settings.signAhead`) instead of a count of units (`settings.streamLookahead`).
 * 7: one item per channel (`channel:<account>:<channel id>`) and a list of them (`channelIds:<account>`), instead of all of an account's channels in `channels:<account>`.
 */
export const currentVersion = 7

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

/** Where one account's channel record is stored, and the list of them (what migration 6 → 7 writes). */
export const channelKey = (account: string, channelId: string) => `channel:${account}:${channelId.toLowerCase()}`
export const channelListKey = (account: string) => `channelIds:${account}`

/**
 * An account's channel records, one item each, so a voucher rewrites its own
 * record (about 1 KB) and not every channel the reader ever had; the list of
 * ids changes only when a channel is added.
 */
function channelItems(account: string) {
  const ids = storage.defineItem<string[]>(`local:${channelListKey(account)}`, { fallback: [] })
  const itemKey = (channelId: string) => `local:${channelKey(account, channelId)}` as const
  return {
    /** Every record, by channel id (lower case). */
    async getValue(): Promise<Record<string, ChannelRecord>> {
      const list = await ids.getValue()
      if (list.length === 0) return {}
      const stored = await storage.getItems(list.map(itemKey))
      return Object.fromEntries(list.flatMap((id, index) => (stored[index]?.value ? [[id, stored[index].value as ChannelRecord]] : [])))
    },
    /** Stores one record; `listed` are the ids already stored, given when the record is new, so it joins them in the same write. */
    async setRecord(channelId: string, record: ChannelRecord, listed?: string[]): Promise<void> {
      const id = channelId.toLowerCase()
      const list = listed && !listed.includes(id) ? [{ key: ids.key, value: [...listed, id] }] : []
      await storage.setItems([...list, { key: itemKey(id), value: record }])
    },
    async removeValue(): Promise<void> {
      await storage.removeItems([...(await ids.getValue()).map(itemKey), ids.key])
    },
  }
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
    /** Origins the reader told Drip to ignore: never queued for approval, until the reader stops ignoring them (Sites). */
    ignored: storage.defineItem<string[]>(`local:ignored:${id}`, { fallback: [] }),
    /** Every channel Drip opened: what Drip signed, its deposit and how it ended. */
    channels: channelItems(id),
    /** Daily and monthly limits, per site and overall (`payments/budgets.ts`). */
    budgets: storage.defineItem<Budgets>(`local:budgets:${id}`, { fallback: { overall: {}, sites: {}, notify: true } }),
    /** What Drip signed per site per local day, the last 62 days, for budgets and insights. */
    spending: storage.defineItem<Spending>(`local:spending:${id}`, { fallback: {} }),
    /** Paid responses the page may not have received (the worker ended in between), kept a minute (`streams/undelivered.ts`). */
    undelivered: storage.defineItem<UndeliveredResponse[]>(`session:undelivered:${id}`, { fallback: [] }),
    /** What each tab's pages had Drip sign, by tab id, this browser session (`payments/tabSpend.ts`). */
    tabSpend: storage.defineItem<Record<string, { origin: string; amount: RawAmountString }>>(`session:tabSpend:${id}`, { fallback: {} }),
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
