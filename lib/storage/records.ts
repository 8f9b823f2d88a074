/**
 * The shapes Drip stores, owned by storage: the schema (`schema.ts`) and its
 * migrations (`migrations.ts`) are written against these, and the domain
 * modules that keep them (channel records, history, kept answers, network
 * settings) import them from here. Money is in raw units as decimal strings
 * (`RawAmountString`).
 */
import type { ChannelStore } from 'mppx/client'
import type { Address, Hex } from 'viem'
import type { Id as NetworkId } from '@/lib/chain/networks'
import type { ActivityKind } from '@/lib/protocol/views'
import type { RawAmountString } from '@/lib/shared/amounts'

/** mppx's channel entry, as its ChannelStore carries it. */
export type MppxEntry = NonNullable<Awaited<ReturnType<ChannelStore['get']>>>

export type ChannelRecord = {
  channelId: Hex
  /** The page origin whose approval pays this channel. */
  origin: string
  /** mppx's key for the channel's payee, token, escrow and chain. */
  key: string
  chainId: number
  escrow: Address
  descriptor: MppxEntry['descriptor']
  deposit: RawAmountString
  /** The highest cumulative amount Drip signed on the channel. */
  cumulative: RawAmountString
  /** Where management credentials (top-up, close) are POSTed. */
  resourceUrl: string
  /**
   * The cumulative of the last voucher handed to a page that the page has not
   * yet reported as reaching the site. While it equals `cumulative`, the next
   * page payment offers it again instead of signing one more unit.
   */
  unconfirmed?: RawAmountString
  /** The unconfirmed voucher was already offered again once. */
  reoffered?: boolean
  /** Signed an open the chain may not have yet (`openingChannels.ts`). */
  opening?: Opening
  /** Closed because its open never reached the chain: nothing was taken on it. */
  neverOpened?: boolean
  /** Found on chain by "Find my channels" (`channelRecovery.ts`): shown only while the current network confirms it. */
  recovered?: boolean
  openedAt: number
  status: 'open' | 'closed'
  closedAt?: number
  /** Refunded to the payer when the channel closed on chain. */
  refunded?: RawAmountString
  /** Captured by the payee over the channel's life, as the chain reported it. */
  settledToPayee?: RawAmountString
}

/** What Drip keeps of an open until the chain has the channel. */
export type Opening = {
  /** The open credential, offered again while it can still land. */
  credential: string
  /** Its cumulative (the first unit). */
  cumulative: string
  /** Unix seconds after which the open transaction can no longer land. */
  validBefore: number
  /** When Drip signed it (ms, this worker's clock). */
  signedAt?: number
}

/** What a history line records: the popup's Activity shows these kinds as they are. */
export type LedgerKind = ActivityKind

export type LedgerEntry = {
  at: number
  origin: string
  kind: LedgerKind
  channelId?: Hex
  /** Cumulative amount signed on the channel after this event. */
  cumulative?: RawAmountString
  /** Money moved by this event (deposit, top-up, refund). */
  amount?: RawAmountString
  txHash?: Hex
  detail?: string
  /** Refusals folded into this line (same site, same reason, within `foldWindowMs`). */
  repeats?: number
}

export type UndeliveredResponse = {
  origin: string
  /** The request it answers (`requestKey`). */
  key: string
  status: number
  statusText: string
  headers: [string, string][]
  url: string
  /** The body, base64. */
  body: string
  /** When it was kept, in ms since the epoch. */
  at: number
}

export type NetworkSettings = {
  /** The network the popup shows balances and status for. */
  activeId: NetworkId
  /** RPC URLs the user typed, by network; absent means the network's default. */
  rpcUrls: Partial<Record<NetworkId, string>>
  /** Explicit on/off per network; absent means the network's default (mainnet is off). */
  enabled: Partial<Record<NetworkId, boolean>>
}
