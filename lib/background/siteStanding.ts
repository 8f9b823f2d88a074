/**
 * What a page may know of its site, and the toolbar badge, read from
 * storage and kept in memory until storage changes: whether the reader
 * approved the site, whether it waits for the reader, and how many sites
 * wait. Every page asks the first on load,
 * so it needs none of the payment code (`entrypoints/payments.ts`), which
 * then stays unloaded on pages that never pay. Drip's writers store a
 * change before they act on it, so storage is never behind them.
 */
import { browser } from 'wxt/browser'
import * as PendingQueue from '@/lib/payments/pendingQueue'
import type { Approval } from '@/lib/payments/policy'
import type { PendingRequest } from '@/lib/payments/waitingRequests'
import { type KeptItem, keptInMemory } from '@/lib/storage/keptInMemory'
import * as Schema from '@/lib/storage/schema'

/**
 * Every page's hello reads these, and the page's sockets wait for the answer: they are kept in memory until storage
 * says they changed (`keptInMemory.ts`), so a hello costs the worker no storage round trip.
 */
const keptVault = keptInMemory(Schema.vault)
const keptByAccount = new Map<string, { approvals: KeptItem<Record<string, Approval>>; pending: KeptItem<Record<string, PendingRequest>> }>()

/** The account's approvals and waiting requests, or undefined before there is an account. */
async function accountItems() {
  const address = (await keptVault.read())?.address
  if (!address) return undefined
  const key = address.toLowerCase()
  let kept = keptByAccount.get(key)
  if (!kept) {
    const items = Schema.accountItems(address)
    kept = { approvals: keptInMemory(items.approvals), pending: keptInMemory(items.pending) }
    keptByAccount.set(key, kept)
  }
  return kept
}

/** The site is approved; it pays, or will once the reader answers it (approved, or waiting for the reader). */
export async function siteStanding(origin: string, now = Date.now()): Promise<{ approved: boolean; pays: boolean }> {
  const items = await accountItems()
  if (!items) return { approved: false, pays: false }
  const [approvals, pending] = await Promise.all([items.approvals.read(), items.pending.read()])
  const approved = Object.hasOwn(approvals, origin)
  const waiting = Object.hasOwn(pending, origin) && PendingQueue.stillWaiting(pending[origin]!, now)
  return { approved, pays: approved || waiting }
}

/** The sites waiting for the reader now. */
export async function waitingCount(now = Date.now()): Promise<number> {
  const items = await accountItems()
  if (!items) return 0
  return Object.values(await items.pending.read()).filter((request) => PendingQueue.stillWaiting(request, now)).length
}

/** The toolbar badge: how many sites wait for the reader. */
export async function updateBadge(): Promise<void> {
  const count = await waitingCount()
  try {
    await browser.action.setBadgeText({ text: count ? String(count) : '' })
    await browser.action.setBadgeBackgroundColor({ color: '#cf222e' })
  } catch {
    // No toolbar button in this context (tests): the count is still in the popup.
  }
}
