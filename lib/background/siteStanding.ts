/**
 * What a page may know of its site, and the toolbar badge, read straight
 * from storage: whether the reader approved the site, whether it waits for
 * the reader, and how many sites wait. Every page asks the first on load,
 * so it needs none of the payment code (`entrypoints/payments.ts`), which
 * then stays unloaded on pages that never pay. Drip's writers store a
 * change before they act on it, so storage is never behind them.
 */
import { browser } from 'wxt/browser'
import * as PendingQueue from '@/lib/payments/pendingQueue'
import * as Schema from '@/lib/storage/schema'

/** The account's per-site items, or undefined before there is an account. */
async function accountItems() {
  const address = (await Schema.vault.getValue())?.address
  return address ? Schema.accountItems(address) : undefined
}

/** The site is approved; it pays, or will once the reader answers it (approved, or waiting for the reader). */
export async function siteStanding(origin: string, now = Date.now()): Promise<{ approved: boolean; pays: boolean }> {
  const items = await accountItems()
  if (!items) return { approved: false, pays: false }
  const [approvals, pending] = await Promise.all([items.approvals.getValue(), items.pending.getValue()])
  const approved = Object.hasOwn(approvals, origin)
  const waiting = Object.hasOwn(pending, origin) && PendingQueue.stillWaiting(pending[origin]!, now)
  return { approved, pays: approved || waiting }
}

/** The sites waiting for the reader now. */
export async function waitingCount(now = Date.now()): Promise<number> {
  const items = await accountItems()
  if (!items) return 0
  return Object.values(await items.pending.getValue()).filter((request) => PendingQueue.stillWaiting(request, now)).length
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
