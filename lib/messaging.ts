/**
 * The typed protocol between extension pages, content scripts and the
 * background. Every method is privileged (extension pages only) unless it is
 * listed in `publicMethods`. A page's origin always comes from the browser's
 * `sender`, never from the payload.
 */
import { browser, type Browser } from 'wxt/browser'
import type { ChainStatus } from './chainStatus'
import type * as Networks from './networks'

export type NetworkStatus = {
  network: { id: Networks.Id; name: string; chainId: number }
  rpcUrl: string
  status: ChainStatus
}

export type PageConnection = { wallet: 'drip'; version: string; origin: string }

export type Protocol = {
  'network.status': { params: void; result: NetworkStatus }
  'network.setRpcUrl': { params: { networkId: Networks.Id; rpcUrl: string }; result: NetworkStatus }
  'page.connect': { params: void; result: PageConnection }
}

export type Method = keyof Protocol
export type Params<M extends Method> = Protocol[M]['params']
export type Result<M extends Method> = Protocol[M]['result']

/** The small API content scripts may call. */
export const publicMethods = new Set<Method>(['page.connect'])

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
