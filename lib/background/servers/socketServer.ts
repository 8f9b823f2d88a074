/**
 * Pages' paid WebSockets over `browser.runtime` ports (`socketPort.ts`):
 * one port per socket. The site's origin is the port sender's, as the
 * browser says; the socket's URL must be that origin's (or an API the
 * reader approved for it), checked by `authorize` on the URL's http(s)
 * twin. Closing the port (the page closed the socket or went away), Revoke
 * or Lock closes the socket: no voucher is signed after it. A site's
 * sockets and event streams take turns, since the site prices every
 * voucher against the whole channel.
 */
import type { Approval } from '@/lib/payments/policy'
import type { RawAmount } from '@/lib/shared/amounts'
import type { Browser } from 'wxt/browser'
import type { Caller } from '@/lib/protocol/messages'
import { httpUrlOf, isFrameData, isPaidSocket, type PaidSocket, type SocketCommand, type SocketReport, socketPortName } from '@/lib/protocol/socketPort'
import type * as Authorize from '@/lib/payments/authorize'
import { authorizeOrWait } from '@/lib/payments/heldRequests'
import { Serial } from '@/lib/shared/serial'
import { acceptPagePorts, type PortSource, RunningByOrigin } from './pagePorts'
import * as PaidSocketSession from '@/lib/streams/paidSocket'
import type { TabSpend } from '@/lib/payments/tabSpend'

export type SocketServerDeps = {
  scope: () => Promise<(Authorize.AuthorizeDeps & { lookaheadUnits: (price: RawAmount, site: Approval) => Promise<number>; tabSpend?: TabSpend }) | undefined>
  classify: (sender: Browser.runtime.MessageSender) => Caller | undefined
  /** The runtime ports pages open (`pagePorts.ts`). */
  ports: PortSource
  /** One paid stream or socket per site at a time (shared with `portServer.ts` and `requestServer.ts`). */
  turns?: Serial
  WebSocket?: PaidSocketSession.SocketConstructor
  /** How long a socket waits for the reader's approval (`heldRequests.ts`); tests shorten it. */
  approvalWaitMs?: number
}

export type SocketServer = {
  /** Closes the paid sockets of one origin, or of every origin. */
  stop(origin?: string): void
}

export function serve(deps: SocketServerDeps): SocketServer {
  const running = new RunningByOrigin()
  const turns = deps.turns ?? new Serial()
  acceptPagePorts(deps.ports, socketPortName, deps.classify, (port, origin) => handle(port, origin, port.sender?.tab?.id))
  return { stop: (origin) => running.stop(origin) }

  function handle(port: Browser.runtime.Port, origin: string, tabId: number | undefined) {
    const controller = new AbortController()
    let connected = true
    let session: PaidSocketSession.PaidSocketSession | undefined
    const post = (report: SocketReport) => {
      if (connected) port.postMessage(report)
    }
    port.onDisconnect.addListener(() => {
      connected = false
      controller.abort()
    })
    let started = false
    port.onMessage.addListener((command: SocketCommand) => {
      if (command?.type === 'send' && isFrameData(command.data)) return session?.send(command.data)
      if (command?.type === 'close') return controller.abort()
      if (command?.type !== 'open' || started) return
      started = true
      if (!isPaidSocket(command.socket)) return post({ type: 'unpaid', outcome: 'refused', message: 'Drip could not read this socket.' })
      const socket = command.socket
      running.add(controller, origin)
      // A socket waiting for the reader's approval waits outside the site's turn: it holds up none of the site's streams.
      const inTurn = (start: () => PaidSocketSession.PaidSocketSession) =>
        turns.run(origin, async () => {
          if (controller.signal.aborted) return
          session = start()
          await session.done
        })
      void open(socket, origin, tabId, controller.signal, post, inTurn)
        .catch((error: Error) => post({ type: 'unpaid', outcome: 'refused', message: error.message }))
        .finally(() => {
          running.delete(controller)
          // Revoke, Lock or a lower cap closed it; the page closing would have disconnected.
          if (controller.signal.aborted) post({ type: 'close', code: 1001, reason: 'Drip stopped paying this site.', wasClean: false })
        })
    })
  }

  async function open(
    socket: PaidSocket,
    origin: string,
    tabId: number | undefined,
    signal: AbortSignal,
    post: (report: SocketReport) => void,
    inTurn: (start: () => PaidSocketSession.PaidSocketSession) => Promise<void>,
  ) {
    let url: URL
    try {
      url = new URL(socket.url)
    } catch {
      return void post({ type: 'unpaid', outcome: 'refused', message: 'The socket URL is not a URL.' })
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return void post({ type: 'unpaid', outcome: 'refused', message: 'Drip pays ws: and wss: sockets only.' })
    const scope = await deps.scope()
    if (!scope) return void post({ type: 'unpaid', outcome: 'locked', message: 'Drip has no account yet. Open Drip from the toolbar to set it up.' })
    const authorized = await authorizeOrWait(
      scope,
      origin,
      { url: httpUrlOf(url).href, method: 'GET', wwwAuthenticate: socket.wwwAuthenticate },
      { tabId },
      { signal, onWaiting: (message) => post({ type: 'waiting', message }), waitMs: deps.approvalWaitMs },
    )
    if (authorized.outcome !== 'authorized') return void post({ type: 'unpaid', outcome: authorized.outcome, message: authorized.message })
    const { challenge, approval } = authorized
    if (challenge.intent !== 'session') return void post({ type: 'unpaid', outcome: 'refused', message: `${origin} sells this as a one-time purchase, not a metered socket.` })
    const lookaheadUnits = await scope.lookaheadUnits(challenge.amount, approval)
    const WebSocket = deps.WebSocket ?? (globalThis.WebSocket as unknown as PaidSocketSession.SocketConstructor)
    return inTurn(() =>
      PaidSocketSession.start(
        { payer: scope.payer, ledger: scope.ledger, fetch: scope.fetch, WebSocket },
        { origin, url, protocols: socket.protocols, challenge, approval, lookaheadUnits, signal, onSigned: (amount) => void scope.tabSpend?.add(tabId, origin, amount) },
        post,
      ),
    )
  }
}
