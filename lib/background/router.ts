/**
 * The background's door: classifies every sender by what the browser says
 * of it, refuses privileged methods to anything but Drip's own pages, and
 * routes requests to the handlers.
 */
import { type Browser, browser } from 'wxt/browser'
import { type Caller, type Handlers, isRequest, type Request, type Response } from '@/lib/protocol/messages'
import { originOf } from '@/lib/shared/urls'

export type ExtensionIdentity = { id: string; origin: string }

export function extensionIdentity(): ExtensionIdentity {
  return { id: browser.runtime.id, origin: originOf(browser.runtime.getURL('/'))! }
}

/**
 * Classifies a sender. Extension pages are those served from this extension's
 * own origin; anything else from this extension is a content script speaking
 * for the page it runs in. Other extensions and opaque origins get nothing.
 */
export function classify(sender: Browser.runtime.MessageSender, extension: ExtensionIdentity): Caller | undefined {
  if (sender.id !== extension.id || !sender.url) return undefined
  const senderUrlOrigin = originOf(sender.url)
  if (senderUrlOrigin === extension.origin) return { kind: 'extension' }
  const origin = sender.origin ?? senderUrlOrigin
  if (!origin || origin === 'null' || origin === extension.origin) return undefined
  return { kind: 'page', origin, tabId: sender.tab?.id }
}

/** Routes incoming requests to handlers after the sender checks. Returns a function that stops listening. */
export function listen(handlers: Handlers): () => void {
  const extension = extensionIdentity()
  const listener = (message: unknown, sender: Browser.runtime.MessageSender, sendResponse: (r: Response) => void) => {
    if (!isRequest(message)) return undefined
    dispatch(handlers, message, classify(sender, extension)).then(sendResponse)
    return true
  }
  browser.runtime.onMessage.addListener(listener)
  return () => browser.runtime.onMessage.removeListener(listener)
}

async function dispatch(handlers: Handlers, request: Request, caller: Caller | undefined): Promise<Response> {
  type Table = Record<string, (params: unknown, caller: Caller) => Promise<unknown>>
  const known = (table: object) => Object.hasOwn(table, request.method)
  if (!known(handlers.page) && !known(handlers.popup)) return { ok: false, error: `Unknown Drip method "${String(request.method).slice(0, 60)}".` }
  if (!caller) return { ok: false, error: `Refused "${request.method}": the sender is not part of Drip.` }
  // Each direction's table only: a content script reaches page methods, Drip's own pages popup methods.
  const table = (caller.kind === 'page' ? handlers.page : handlers.popup) as unknown as Table
  if (!known(table)) return { ok: false, error: caller.kind === 'page' ? `Refused "${request.method}": only Drip's own pages may call it.` : `Refused "${request.method}": only content scripts speak for pages.` }
  try {
    return { ok: true, result: await table[request.method]!(request.params, caller) }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}
