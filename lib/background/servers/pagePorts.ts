/**
 * What the background's three page-facing servers (declared streams, paid
 * requests, paid sockets) share: accepting a named runtime port only from a
 * content script speaking for a page (its origin as the browser says), and
 * the running work per origin that Revoke, Lock or a lower cap aborts.
 */
import type { Browser } from 'wxt/browser'
import type { Caller } from '@/lib/protocol/messages'

/**
 * Where the servers are given the runtime ports pages open: the entry's
 * one `onConnect` listener, which loads the payment code for a port first
 * (`lazyPayments.ts`) and then hands it over.
 */
export type PortSource = (listener: (port: Browser.runtime.Port) => void) => void

/** Calls `handle` for each port named `name` that a content script opens for its page; any other caller is disconnected. */
export function acceptPagePorts(
  ports: PortSource,
  name: string,
  classify: (sender: Browser.runtime.MessageSender) => Caller | undefined,
  handle: (port: Browser.runtime.Port, origin: string) => void,
) {
  ports((port) => {
    if (port.name !== name) return
    const caller = classify(port.sender ?? {})
    if (caller?.kind !== 'page') return port.disconnect()
    handle(port, caller.origin)
  })
}

/** Running work, by the origin it pays. */
export class RunningByOrigin {
  private readonly controllers = new Map<AbortController, string>()

  add(controller: AbortController, origin: string) {
    this.controllers.set(controller, origin)
  }

  delete(controller: AbortController) {
    this.controllers.delete(controller)
  }

  /** Aborts the work of one origin, or of every origin. */
  stop(origin?: string) {
    for (const [controller, of] of this.controllers) if (origin === undefined || of === origin) controller.abort()
  }
}
