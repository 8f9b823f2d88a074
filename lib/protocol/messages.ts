/**
 * The typed protocol to the background, one map per direction: what content
 * scripts may ask (`PageProtocol`, answered for the page the browser names
 * as the sender, never the payload) and what Drip's own pages may ask
 * (`PopupProtocol`). The background takes its handlers per direction
 * (`Handlers`), so a method runs only for the callers its map names.
 */
import type { Hex } from 'viem'
import type {
  ActivityView,
  BudgetsView,
  ChannelView,
  InsightsView,
  LimitsView,
  NetworkId,
  NetworkSetting,
  NetworkStatus,
  Overview,
  PendingView,
  RawAmountString,
  SettingsView,
  SiteView,
  TermsView,
  WalletStatus,
} from './views'

/**
 * `approved`: the reader approved this page's site, so the page may know a wallet is here (`content/presence.ts`).
 * `pays`: approved, or waiting for the reader's approval: the page's own sockets may be paid (`page/siteStatus.ts`).
 */
export type PageConnection = { wallet: 'drip'; version: string; origin: string; approved: boolean; pays: boolean }

/** Content scripts → background: all a page's side may ask. Nothing here signs or returns a credential. */
export type PageProtocol = {
  'page.connect': { params: void; result: PageConnection }
  /** A page's EventSource or WebSocket failed before opening: was it a 402 the page may pay? (`payments/seenResponses.ts`) */
  'page.paymentSeen': { params: { url: string }; result: { wwwAuthenticate: string | null } }
}

/** Drip's own pages (the popup) → background. */
export type PopupProtocol = {
  // Wallet
  'wallet.status': { params: void; result: WalletStatus }
  /** The new account's recovery phrase comes back once, for the reader to write down. */
  'wallet.create': { params: { password: string }; result: WalletStatus & { recoveryPhrase: string } }
  /** `privateKey`: a recovery phrase (12 or 24 words) or a hex private key. */
  'wallet.import': { params: { privateKey: string; password: string }; result: WalletStatus }
  'wallet.unlock': { params: { password: string }; result: WalletStatus }
  'wallet.lock': { params: void; result: WalletStatus }
  'wallet.export': { params: { password: string }; result: { privateKey: Hex } }
  /** The recovery phrase again, with the password; refused for an account imported as a hex key. */
  'wallet.exportPhrase': { params: { password: string }; result: { recoveryPhrase: string } }
  'wallet.reset': { params: { confirmation: string }; result: WalletStatus }
  'wallet.overview': { params: void; result: Overview }
  /** Asks the active test network's faucet; says which network and RPC URL served it. */
  'wallet.fund': { params: void; result: { hashes: Hex[]; networkName: string; rpcUrl: string } }
  // Networks
  'network.status': { params: void; result: NetworkStatus }
  'network.list': { params: void; result: NetworkSetting[] }
  'network.setRpcUrl': { params: { networkId: NetworkId; rpcUrl: string }; result: NetworkStatus }
  'network.setEnabled': { params: { networkId: NetworkId; enabled: boolean }; result: NetworkSetting[] }
  'network.select': { params: { networkId: NetworkId }; result: NetworkSetting[] }
  // Approvals. `terms` are what the reader saw: approve fails if the site's request changed since.
  'approvals.pending': { params: void; result: PendingView[] }
  'approvals.approve': {
    params: { origin: string; terms: TermsView; maxDeposit: RawAmountString; perPaymentLimit?: RawAmountString; also?: TermsView[] }
    result: SiteView[]
  }
  'approvals.setMaxDeposit': { params: { origin: string; maxDeposit: RawAmountString }; result: SiteView[] }
  /** The site's own sign-ahead; `null` goes back to the reader's default. */
  'approvals.setSignAhead': { params: { origin: string; signAhead: RawAmountString | null }; result: SiteView[] }
  /** `always`: ignore the site (it never asks again) instead of denying it for this browser session. */
  'approvals.deny': { params: { origin: string; always?: boolean }; result: PendingView[] }
  'approvals.ignored': { params: void; result: string[] }
  'approvals.stopIgnoring': { params: { origin: string }; result: string[] }
  'approvals.list': { params: void; result: SiteView[] }
  'approvals.revoke': { params: { origin: string }; result: SiteView[] }
  /** Pauses or resumes a site: paused, nothing is paid; the approval and its budget stay. */
  'approvals.pause': { params: { origin: string; paused: boolean }; result: SiteView[] }
  // Budgets: limits in raw units; absent means none.
  'budgets.get': { params: void; result: BudgetsView }
  /** Spend per site per day (last 30 days) and per month. */
  'insights.get': { params: void; result: InsightsView }
  /** What the pages of `origin` in one tab had Drip sign this browser session (the popup's header). */
  'spend.tab': { params: { tabId: number; origin: string }; result: { amount: RawAmountString } }
  'budgets.set': { params: { overall?: LimitsView; site?: { origin: string; limits: LimitsView }; notify?: boolean }; result: BudgetsView }
  /** Reloads the tabs showing `origin`'s pages, so a page whose request got the 402 before the approval carries on. */
  'approvals.reloadTabs': { params: { origin: string }; result: { reloaded: number } }
  // Channels and activity
  'channels.list': { params: void; result: ChannelView[] }
  /** Finds the account's channels on the active network's chain that Drip has no record of (after a reset or an import). */
  'channels.find': { params: void; result: { onChain: number; recovered: number; network: string } }
  'channels.close': { params: { origin: string; channelId: Hex }; result: ChannelView }
  'channels.forceClose': { params: { origin: string; channelId: Hex }; result: ChannelView }
  'channels.withdraw': { params: { origin: string; channelId: Hex }; result: ChannelView }
  'ledger.list': { params: void; result: ActivityView[] }
  /** The whole history as CSV (`payments/historyCsv.ts`). */
  'ledger.csv': { params: void; result: { csv: string; lines: number } }
  // Settings
  'settings.get': { params: void; result: SettingsView }
  'settings.set': {
    params: { autoLockMinutes?: number; defaultCap?: RawAmountString; defaultPerPaymentLimit?: RawAmountString; depositUnits?: number; signAhead?: RawAmountString }
    result: SettingsView
  }
}

export type Protocol = PageProtocol & PopupProtocol
export type Method = keyof Protocol
export type PageMethod = keyof PageProtocol
export type PopupMethod = keyof PopupProtocol
export type Params<M extends Method> = Protocol[M]['params']
export type Result<M extends Method> = Protocol[M]['result']

/** A content script, speaking for the page the browser says it runs in. */
export type PageCaller = { kind: 'page'; origin: string; tabId: number | undefined }
/** Who sent a message, as the browser (not the message) says. */
export type Caller = { kind: 'extension' } | PageCaller

/** The background's answers, per direction: page methods get the page the browser named; popup methods need no caller. */
export type PageHandlers = { [M in PageMethod]: (params: Params<M>, caller: PageCaller) => Promise<Result<M>> }
export type PopupHandlers = { [M in PopupMethod]: (params: Params<M>) => Promise<Result<M>> }
export type Handlers = { page: PageHandlers; popup: PopupHandlers }

/** The envelope of every request on `browser.runtime` messaging. */
export type Request = { drip: 1; method: Method; params: unknown }
export type Response = { ok: true; result: unknown } | { ok: false; error: string }

export function isRequest(message: unknown): message is Request {
  return typeof message === 'object' && message !== null && (message as Request).drip === 1 && typeof (message as Request).method === 'string'
}
