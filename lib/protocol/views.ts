/**
 * Every shape the popup renders, declared outright: the wire imports nothing
 * from the domain, so a change of a stored record never changes a view by
 * accident. Money is in raw token units (6 decimals) as decimal strings; the
 * popup turns it into dollars only to show it or to fill a form.
 */
import type { Address, Hex } from 'viem'

/** Raw token units (6 decimals) as decimal digits: "1000000" is one dollar. */
export type RawAmountString = string

export type NetworkId = 'localnet' | 'testnet' | 'mainnet'

export type WalletStatus =
  | { state: 'empty' }
  | { state: 'locked'; address: Address }
  | { state: 'unlocked'; address: Address; autoLockMinutes: number }

export type ChainStatus =
  | { state: 'live'; rpcUrl: string; chainId: number; blockNumber: number; checkedAt: number }
  | { state: 'wrongChain'; rpcUrl: string; chainId: number; expectedChainId: number; checkedAt: number }
  | { state: 'unreachable'; rpcUrl: string; reason: string; checkedAt: number }

export type NetworkStatus = {
  network: { id: NetworkId; name: string; chainId: number }
  rpcUrl: string
  status: ChainStatus
}

export type NetworkSetting = { id: NetworkId; name: string; chainId: number; testnet: boolean; rpcUrl: string; enabled: boolean; active: boolean }

export type Balance = { token: Address; symbol: string; amount: RawAmountString }

export type Overview = { address: Address; network: NetworkSetting; balances: Balance[]; balanceError: string | undefined }

/** What a site asks for: the terms an approval pins. */
export type TermsView = {
  /** Price per unit. */
  amount: RawAmountString
  unitType: string
  recipient: Address
  currency: Address
  chainId: number
  /** The other site's API that asks to be paid, when it is not the page's own origin. */
  resourceOrigin?: string
}

/** A site waiting for the reader, with the cap and per-payment limit the request is pre-filled with. */
export type PendingView = TermsView & {
  origin: string
  suggestedDeposit: RawAmountString | undefined
  /** "Let the site spend up to": the reader's default cap, or the site's own cap when it is approved already. */
  suggestedMaxDeposit: RawAmountString
  /** "No single payment above": the reader's default limit, at least this request's price. */
  suggestedPerPaymentLimit: RawAmountString
  /** Why the site asks again when it is approved already (another payee, a payment above the limit, an API). */
  reason?: string
  /** What else the site's pages asked for while it waited; Approve covers each that fits the figures typed. */
  also: TermsView[]
  /** The currency as the reader reads it: "pathUSD (0x20c0…0000)". */
  currencyLabel: string
  /** The chain as the reader reads it: "Tempo testnet" (its id only where Drip does not know it). */
  chainName: string
  firstSeenAt: number
  lastSeenAt: number
  /** How many 402s from this site arrived while it waited. */
  count: number
}

/** An approved site: its pinned terms, its cap, and what Drip has signed to it. */
export type SiteView = {
  origin: string
  /** The prices seen from this site, by unit type. */
  prices: { unitType: string; price: RawAmountString }[]
  recipient: Address
  currency: Address
  chainId: number
  maxDeposit: RawAmountString
  /** The most a single payment may cost without asking again. */
  perPaymentLimit: RawAmountString
  /** Other sites' APIs this page may pay. */
  apiOrigins?: string[]
  /** Signed by Drip across the site's channels, open and closed, plus its one-shot charges. */
  spent: RawAmountString
  /** Paused by the reader: nothing is paid until resumed. */
  paused?: boolean
  /** The site's own sign-ahead, if the reader set one; absent: the default (`SettingsView.signAhead`). */
  signAhead?: RawAmountString
  grantedAt: number
}

export type ChannelView = {
  origin: string
  channelId: Hex
  chainId: number
  currency: Address
  recipient: Address
  deposit: RawAmountString
  /** What Drip signed on this channel. */
  spent: RawAmountString
  remaining: RawAmountString
  settled: RawAmountString
  status: 'open' | 'closing' | 'closed'
  /** For a force close: chain time (seconds) when withdraw becomes possible. */
  withdrawableAt: number | undefined
  chainTime: number | undefined
  refunded: RawAmountString | undefined
  resourceUrl: string | undefined
}

export type ActivityKind =
  | 'open'
  | 'voucher'
  | 'topUp'
  | 'charge'
  | 'budget'
  | 'receipt'
  | 'close'
  | 'requestClose'
  | 'withdraw'
  | 'refused'
  | 'approved'
  | 'revoked'
  | 'denied'
  /** An approved site charges a new unit, or more than the price first seen: paid within the limit, and told. */
  | 'price'

export type ActivityView = {
  at: number
  origin: string
  kind: ActivityKind
  channelId?: Hex
  /** Cumulative amount signed on the channel after this event. */
  cumulative?: RawAmountString
  /** Money moved by this event (deposit, top-up, refund). */
  amount?: RawAmountString
  txHash?: Hex
  detail?: string
}

/** A daily and/or monthly limit, raw units; absent: none. */
export type LimitsView = { daily?: RawAmountString; monthly?: RawAmountString }

export type BudgetsView = {
  overall: LimitsView
  sites: Record<string, LimitsView>
  notify: boolean
  /** Signed today and this month (local calendar), overall and per site. */
  spent: { today: RawAmountString; month: RawAmountString; sites: Record<string, { today: RawAmountString; month: RawAmountString }> }
  /** Limits at 80% or more right now, in words (the popup's Home shows them). */
  alerts: string[]
}

/** See `payments/insights.ts`. */
export type InsightsView = {
  days: string[]
  sites: { origin: string; perDay: RawAmountString[]; total: RawAmountString }[]
  months: { month: string; origin: string; total: RawAmountString }[]
}

export type SettingsView = {
  autoLockMinutes: number
  /** The cap a new approval is pre-filled with. */
  defaultCap: RawAmountString
  /** The per-payment limit a new approval is pre-filled with. */
  defaultPerPaymentLimit: RawAmountString
  /** Units a channel's opening deposit and each top-up buy at least. */
  depositUnits: number
  /** How much streams sign ahead of delivery, raw units. */
  signAhead: RawAmountString
}
