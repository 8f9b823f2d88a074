/**
 * The typed protocol between extension pages, content scripts and the
 * background. Every method is privileged (extension pages only) unless it is
 * listed in `publicMethods`. A page's origin always comes from the browser's
 * `sender`, never from the payload.
 */
import { browser, type Browser } from 'wxt/browser'
import type { Address, Hex } from 'viem'
import type { ChainStatus } from './chainStatus'
import type * as Ledger from './ledger'
import type * as Networks from './networks'
import type { Outcome, PageRequest } from './payments'
import type * as Policy from './policy'
import type { ChannelView } from './sessions'
import type * as Wallet from './wallet'

export type NetworkStatus = {
  network: { id: Networks.Id; name: string; chainId: number }
  rpcUrl: string
  status: ChainStatus
}

export type PageConnection = { wallet: 'drip'; version: string; origin: string }

export type NetworkSetting = { id: Networks.Id; name: string; chainId: number; testnet: boolean; rpcUrl: string; enabled: boolean; active: boolean }

export type Balance = { token: Address; symbol: string; amount: string }

export type Overview = { address: Address; network: NetworkSetting; balances: Balance[]; balanceError: string | undefined }

/** A pending request as the popup shows it, with the max deposit Drip suggests. */
export type PendingView = Policy.PendingRequest & { suggestedMaxDeposit: string }

export type SiteView = Policy.Approval & { spent: string }

export type SettingsView = { autoLockMinutes: number; defaultCap: string; lookaheadUnits: number }

/** Paid streams run over a long-lived port, so words can flow and Pause/Stop can reach the driver. */
export const streamPortName = 'drip:stream'

/** Content script → background, over the stream port. */
/** `resumeFrom`: the words the reader already has, after a lost connection (sent as `Last-Event-ID`). */
export type StreamCommand = { type: 'start'; url: string; resumeFrom?: number } | { type: 'pause' } | { type: 'resume' } | { type: 'stop' } | { type: 'keepalive' }

/** Background → content script, over the stream port. */
export type StreamReport =
  | { type: 'pending' | 'locked' | 'refused'; message: string }
  | { type: 'waiting'; message: string }
  | import('./streams').Update

export type Protocol = {
  // Content scripts
  'page.connect': { params: void; result: PageConnection }
  'page.pay': { params: PageRequest; result: Outcome }
  'page.receipt': { params: { url: string; receipt: string }; result: { recorded: boolean } }
  // Wallet
  'wallet.status': { params: void; result: Wallet.Status }
  'wallet.create': { params: { password: string }; result: Wallet.Status }
  'wallet.import': { params: { privateKey: string; password: string }; result: Wallet.Status }
  'wallet.unlock': { params: { password: string }; result: Wallet.Status }
  'wallet.lock': { params: void; result: Wallet.Status }
  'wallet.export': { params: { password: string }; result: { privateKey: Hex } }
  'wallet.reset': { params: { confirmation: string }; result: Wallet.Status }
  'wallet.overview': { params: void; result: Overview }
  'wallet.fund': { params: void; result: { hashes: Hex[] } }
  // Networks
  'network.status': { params: void; result: NetworkStatus }
  'network.list': { params: void; result: NetworkSetting[] }
  'network.setRpcUrl': { params: { networkId: Networks.Id; rpcUrl: string }; result: NetworkStatus }
  'network.setEnabled': { params: { networkId: Networks.Id; enabled: boolean }; result: NetworkSetting[] }
  'network.select': { params: { networkId: Networks.Id }; result: NetworkSetting[] }
  // Approvals
  'approvals.pending': { params: void; result: PendingView[] }
  'approvals.approve': { params: { origin: string; maxDeposit: string; priceCeiling?: string }; result: SiteView[] }
  'approvals.deny': { params: { origin: string }; result: PendingView[] }
  'approvals.list': { params: void; result: SiteView[] }
  'approvals.revoke': { params: { origin: string }; result: SiteView[] }
  // Channels and activity
  'channels.list': { params: void; result: ChannelView[] }
  'channels.close': { params: { origin: string; channelId: Hex }; result: ChannelView }
  'channels.forceClose': { params: { origin: string; channelId: Hex }; result: ChannelView }
  'channels.withdraw': { params: { origin: string; channelId: Hex }; result: ChannelView }
  'ledger.list': { params: void; result: Ledger.Entry[] }
  // Settings
  'settings.get': { params: void; result: SettingsView }
  'settings.set': { params: { autoLockMinutes?: number; defaultCap?: string; lookaheadUnits?: number }; result: SettingsView }
}

export type Method = keyof Protocol
export type Params<M extends Method> = Protocol[M]['params']
export type Result<M extends Method> = Protocol[M]['result']

/** The small API content scripts may call. */
export const publicMethods = new Set<Method>(['page.connect', 'page.pay', 'page.receipt'])

/** Who sent a message, as the browser (not the message) says. */
export type Caller = { kind: 'extension' } | { kind: 'page'; origin: string; tabId: number | undefined }

export type Handlers = {
  [M in Method]: (params: Params<M>, caller: Caller) => Promise<Result<M>>
}

type Request = { drip: 1; method: Method; params: unknown }
type Response = { ok: true; result: unknown } | { ok: false; error: string }

export class MessagingError extends Error {
  override name = 'MessagingError'
}

/** Sends a request to the background and unwraps its answer; a refusal becomes a thrown Error. */
export async function send<M extends Method>(
  method: M,
  ...[params]: Params<M> extends void ? [] : [Params<M>]
): Promise<Result<M>> {
  const request: Request = { drip: 1, method, params }
  const response = (await browser.runtime.sendMessage(request)) as Response | undefined
  if (!response) throw new MessagingError(`Drip's background did not answer "${method}".`)
  if (!response.ok) throw new MessagingError(response.error)
  return response.result as Result<M>
}

/**
 * Classifies a sender. Extension pages are those served from this extension's
 * own origin; anything else from this extension is a content script speaking
 * for the page it runs in. Other extensions and opaque origins get nothing.
 */
export function classify(
  sender: Browser.runtime.MessageSender,
  extension: { id: string; origin: string },
): Caller | undefined {
  if (sender.id !== extension.id || !sender.url) return undefined
  const senderUrlOrigin = originOf(sender.url)
  if (senderUrlOrigin === extension.origin) return { kind: 'extension' }
  const origin = sender.origin ?? senderUrlOrigin
  if (!origin || origin === 'null' || origin === extension.origin) return undefined
  return { kind: 'page', origin, tabId: sender.tab?.id }
}

/** Routes incoming requests to handlers after the sender checks. Returns a function that stops listening. */
export function listen(handlers: Handlers): () => void {
  const extension = { id: browser.runtime.id, origin: originOf(browser.runtime.getURL('/'))! }
  const listener = (message: unknown, sender: Browser.runtime.MessageSender, sendResponse: (r: Response) => void) => {
    if (!isRequest(message)) return undefined
    dispatch(handlers, message, classify(sender, extension)).then(sendResponse)
    return true
  }
  browser.runtime.onMessage.addListener(listener)
  return () => browser.runtime.onMessage.removeListener(listener)
}

async function dispatch(handlers: Handlers, request: Request, caller: Caller | undefined): Promise<Response> {
  const handler = handlers[request.method] as ((params: unknown, caller: Caller) => Promise<unknown>) | undefined
  if (!handler) return { ok: false, error: `Unknown Drip method "${request.method}".` }
  if (!caller) return { ok: false, error: `Refused "${request.method}": the sender is not part of Drip.` }
  if (caller.kind !== 'extension' && !publicMethods.has(request.method))
    return { ok: false, error: `Refused "${request.method}": only Drip's own pages may call it.` }
  try {
    return { ok: true, result: await handler(request.params, caller) }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

function isRequest(message: unknown): message is Request {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as Request).drip === 1 &&
    typeof (message as Request).method === 'string'
  )
}

/** Like `URL.origin`, but also for extension schemes, which some URL parsers report as opaque. */
export function originOf(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.origin !== 'null') return parsed.origin
  return parsed.host ? `${parsed.protocol}//${parsed.host}` : undefined
}
