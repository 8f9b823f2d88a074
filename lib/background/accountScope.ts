/**
 * Everything the background holds for one account, built once per account
 * from the storage schema's per-account items: approvals, history, channel
 * records, and the payer and lifecycle that sign with the wallet's key.
 */
import type { Address } from 'viem'
import { Serial } from '@/lib/shared/serial'
import { Undelivered } from '@/lib/streams/undelivered'
import { Approvals } from '@/lib/payments/approvals'
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

export type AccountScope = AuthorizeDeps & {
  address: Address
  approvals: Approvals
  records: ChannelRecords
  undelivered: Undelivered
  /** Pages' paid requests of one site, one at a time (`streams/paidRequest.ts`). */
  pagePayments: Serial
  lifecycle: Lifecycle
  lookaheadUnits: () => Promise<number>
}

export type ScopeOptions = {
  wallet: Wallet
  /** Every fetch to a site; never follows redirects. */
  fetch: typeof globalThis.fetch
  onPendingChanged: () => void | Promise<void>
}

export function createAccountScope(address: Address, options: ScopeOptions): AccountScope {
  const items = Schema.accountItems(address)
  const approvals = new Approvals(items)
  const ledger = new Ledger(address)
  const records = new ChannelRecords(items)
  const signer = () => options.wallet.signer()
  const getClient = Clients.clientFor
  return {
    address,
    approvals,
    ledger,
    records,
    undelivered: new Undelivered(items),
    pagePayments: new Serial(),
    payer: new Payer({ signer, getClient, approvals, records, ledger, fetch: options.fetch, depositUnits: Preferences.depositUnits }),
    lifecycle: new Lifecycle({ signer, getClient, records, ledger, fetch: options.fetch }),
    isUnlocked: () => options.wallet.isUnlocked(),
    enabledChainIds: NetworkSettings.enabledChainIds,
    fetch: options.fetch,
    onPendingChanged: options.onPendingChanged,
    lookaheadUnits: Preferences.lookaheadUnits,
  }
}
