/**
 * What the background is, as its handler files see it (`handlers/`): the
 * wallet, the account's scope, the badge, the site's tabs. Types only; the
 * composition root (`root.ts`) builds it, so the handlers depend on this
 * file and not on the root that imports them.
 */
import type { Address } from 'viem'
import type { ObservedChallenges } from '@/lib/payments/observedChallenges'
import type { SeenResponses } from '@/lib/payments/seenResponses'
import type { TabNotice } from '@/lib/protocol/tabNotice'
import type { Wallet } from '@/lib/wallet/wallet'
import type { AccountScope } from './accountScope'

export type BackgroundOptions = {
  version: string
  wallet: Wallet
  /** How long an RPC may take before the popup shows it as unreachable. */
  rpcTimeoutMs?: number
  fetch?: typeof globalThis.fetch
  /** What the browser answered tabs' requests, from `webRequest` (the entry wires it); absent, pages are told nothing was seen. */
  responses?: { statuses: SeenResponses; challenges: ObservedChallenges }
}

/** What every handler file is given. */
export type Background = {
  options: BackgroundOptions
  wallet: Wallet
  /** The scope of the account Drip holds; throws when there is none. */
  current(): Promise<AccountScope>
  /** The scope of the account Drip holds, or undefined. */
  scope(): Promise<AccountScope | undefined>
  forget(address: Address): void
  updateBadge(): Promise<void>
  /** Stops running streams of one origin (or all); set once the stream server runs. */
  stopStreams(origin?: string): void
  /** The tabs showing one origin's pages: `notify` tells their content scripts the site was approved or revoked; `reload` reloads them. */
  siteTabs(origin: string): Promise<{ notify(what: TabNotice['drip']): Promise<void>; reload(): Promise<number> }>
  /** Marks a reader's action in Drip's pages: it pushes auto-lock back. Nothing else does. */
  userAction<P, R>(handler: (params: P) => Promise<R>): (params: P) => Promise<R>
}
