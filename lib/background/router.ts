/**
 * The background's door: classifies every sender by what the browser says
 * of it, refuses privileged methods to anything but Drip's own pages, and
 * routes requests to the handlers.
 */
import { type Browser, browser } from 'wxt/browser'
import { type Caller, isRequest, type PageHandlers, type PopupHandlers, type Request, type Response } from '@/lib/protocol/messages'
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

/**
 * The handlers the router routes to. The popup's table may be given as a
 * function: it is then asked for only when a request needs it, so the page
 * methods every page asks on load never load the payment code behind it
 * (`lazyPayments.ts`).
 */
export type RoutedHandlers = { page: PageHandlers; popup: PopupHandlers | (() => PopupHandlers) }

/** Routes incoming requests to handlers after the sender checks. Returns a function that stops listening. */
export function listen(handlers: RoutedHandlers): () => void {
  const extension = extensionIdentity()
  const popup = typeof handlers.popup === 'function' ? handlers.popup : () => handlers.popup as PopupHandlers
  const routed = { page: handlers.page, popup }
  const listener = (message: unknown, sender: Browser.runtime.MessageSender, sendResponse: (r: Response) => void) => {
    if (!isRequest(message)) return undefined
    dispatch(routed, message, classify(sender, extension)).then(sendResponse)
    return true
  }
  browser.runtime.onMessage.addListener(listener)
  return () => browser.runtime.onMessage.removeListener(listener)
}

async function dispatch(handlers: { page: PageHandlers; popup: () => PopupHandlers }, request: Request, caller: Caller | undefined): Promise<Response> {
  type Table = Record<string, (params: unknown, caller: Caller) => Promise<unknown>>
  const known = (table: object | undefined) => table !== undefined && Object.hasOwn(table, request.method)
  try {
    // A page method asked by a page (or by no one Drip knows) needs no popup table.
    const popup = known(handlers.page) && caller?.kind !== 'extension' ? undefined : handlers.popup()
    if (!known(handlers.page) && !known(popup)) return { ok: false, error: `Unknown Drip method "${String(request.method).slice(0, 60)}".` }
    if (!caller) return { ok: false, error: `Refused "${request.method}": the sender is not part of Drip.` }
    // Each direction's table only: a content script reaches page methods, Drip's own pages popup methods.
    const table = (caller.kind === 'page' ? handlers.page : popup) as unknown as Table
    if (!known(table)) return { ok: false, error: caller.kind === 'page' ? `Refused "${request.method}": only Drip's own pages may call it.` : `Refused "${request.method}": only content scripts speak for pages.` }
    return { ok: true, result: await table[request.method]!(request.params, caller) }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}
