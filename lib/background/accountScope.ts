/**
 * Everything the background holds for one account, built once per account
 * from the storage schema's per-account items: approvals, history, channel
 * records, budgets, and the payer and lifecycle that sign with the wallet's key.
 */
import type { Approval } from '@/lib/payments/policy'
import type { RawAmount } from '@/lib/shared/amounts'
import type { Address } from 'viem'
import { Serial } from '@/lib/shared/serial'
import { Undelivered } from '@/lib/streams/undelivered'
import { Approvals } from '@/lib/payments/approvals'
import { BudgetBook } from '@/lib/payments/budgetBook'
import { alertText, type BudgetAlert } from '@/lib/payments/budgets'
import type { AuthorizeDeps } from '@/lib/payments/authorize'
import { ChannelRecords } from '@/lib/payments/channelRecords'
import { Ledger } from '@/lib/payments/ledger'
import { Lifecycle } from '@/lib/payments/lifecycle'
import { Payer } from '@/lib/payments/payer'
import * as Preferences from '@/lib/payments/preferences'
import * as Schema from '@/lib/storage/schema'
import type { Wallet } from '@/lib/wallet/wallet'
import * as Clients from '@/lib/chain/clients'
import * as NetworkSettings from '@/lib/chain/networkSettings'
import { TabSpend } from '@/lib/payments/tabSpend'

export type AccountScope = AuthorizeDeps & {
  address: Address
  approvals: Approvals
  records: ChannelRecords
  undelivered: Undelivered
  /** Pages' paid requests of one site, one at a time (`streams/paidRequest.ts`). */
  pagePayments: Serial
  lifecycle: Lifecycle
  budgets: BudgetBook
  /** Stream units to sign ahead at a price on an approved site, by its sign-ahead amount or the reader's. */
  lookaheadUnits: (price: RawAmount, site: Approval) => Promise<number>
  /** What each tab's pages had Drip sign (the popup's header). */
  tabSpend: TabSpend
}

export type ScopeOptions = {
  wallet: Wallet
  /** Every fetch to a site; never follows redirects. */
  fetch: typeof globalThis.fetch
  onPendingChanged: () => void | Promise<void>
  /** Shows a budget alert outside the popup (a browser notification), when the reader wants them. */
  notify?: (text: string) => void | Promise<void>
}

export function createAccountScope(address: Address, options: ScopeOptions): AccountScope {
  const items = Schema.accountItems(address)
  const approvals = new Approvals(items)
  const ledger = new Ledger(address)
  const records = new ChannelRecords(items)
  const budgets = new BudgetBook(items)
  /** Budget marks go to the history (the popup's Home shows them) and, if the reader wants, a notification. */
  const onBudgetAlerts = async (alerts: BudgetAlert[]) => {
    const notify = (await budgets.budgets()).notify
    for (const alert of alerts) {
      await ledger.append({ origin: alert.origin ?? 'all sites', kind: 'budget', detail: alertText(alert) })
      if (notify) await options.notify?.(alertText(alert))
    }
  }
  const signer = () => options.wallet.signer()
  const getClient = Clients.clientFor
  return {
    address,
    approvals,
    ledger,
    records,
    undelivered: new Undelivered(items),
    pagePayments: new Serial(),
    budgets,
    payer: new Payer({ signer, getClient, approvals, records, ledger, fetch: options.fetch, depositUnits: Preferences.depositUnits, budgets, onBudgetAlerts }),
    lifecycle: new Lifecycle({ signer, getClient, records, ledger, fetch: options.fetch }),
    isUnlocked: () => options.wallet.isUnlocked(),
    enabledChainIds: NetworkSettings.enabledChainIds,
    fetch: options.fetch,
    onPendingChanged: options.onPendingChanged,
    lookaheadUnits: Preferences.lookaheadUnits,
    tabSpend: new TabSpend(items.tabSpend),
  }
}
