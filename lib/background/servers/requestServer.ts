/**
 * Pages' paid requests over `browser.runtime` ports (`requestPort.ts`): one
 * port per request. The site's origin is the port sender's, as the browser
 * says; the request's URL is that origin's, or an API the reader approved
 * for it (`authorize.ts`). Closing the port (the page aborted, closed the
 * EventSource, or went away), Revoke or Lock aborts the request: no voucher
 * is signed after it.
 */
import type { Approval } from '@/lib/payments/policy'
import type { RawAmount } from '@/lib/shared/amounts'
import type { Browser } from 'wxt/browser'
import type { Caller } from '@/lib/protocol/messages'
import { isPaidRequest, type PaidRequest, type RequestCommand, type RequestReport, requestLimits, requestPortName } from '@/lib/protocol/requestPort'
import * as Authorize from '@/lib/payments/authorize'
import { authorizeOrWait } from '@/lib/payments/heldRequests'
import type { ChannelRecords } from '@/lib/payments/channelRecords'
import { Serial } from '@/lib/shared/serial'
import { acceptPagePorts, type PortSource, RunningByOrigin } from './pagePorts'
import * as PaidRequestRun from '@/lib/streams/paidRequest'
import { requestKey, type Undelivered } from '@/lib/streams/undelivered'
import type { TabSpend } from '@/lib/payments/tabSpend'
import { stepMark } from '@/lib/shared/stepMarks'

export type RequestServerDeps = {
  /** The current account's payment services, or undefined without an account. */
  scope: () => Promise<PageScope | undefined>
  classify: (sender: Browser.runtime.MessageSender) => Caller | undefined
  /** The runtime ports pages open (`pagePorts.ts`). */
  ports: PortSource
  /** The 402 the browser saw a tab get, once reported (`observedChallenges.ts`): for another site's API whose CORS hides its challenge from the page. */
  observed?: Authorize.PageContext['observed']
  /**
   * One paid stream per site at a time, shared with declared streams (`portServer.ts`): a page's request for an
   * event stream waits its turn, since the site prices every voucher against the whole channel.
   */
  turns?: Serial
  /** How long a request waits for the reader's approval (`heldRequests.ts`); tests shorten it. */
  approvalWaitMs?: number
}

export type RequestServer = {
  /** Aborts the running requests of one origin, or of every origin. */
  stop(origin?: string): void
}

const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'])

/** Why a request the page handed over cannot be made, or undefined when it can. */
export function screenRequest(request: PaidRequest): string | undefined {
  if (request.url.length > requestLimits.urlChars) return 'The request URL is too long.'
  if (!methods.has(request.method)) return `Drip does not pay ${request.method.slice(0, 16)} requests.`
  if (request.headers.length > requestLimits.headers || request.headers.some(([name, value]) => name.length + value.length > requestLimits.headerChars))
    return 'The request has too many or too large headers.'
  if (request.body !== null && request.body.byteLength > requestLimits.bodyBytes) return 'The request body is larger than 1 MiB.'
  if (!['omit', 'same-origin', 'include'].includes(request.credentials)) return 'The request has an unknown credentials mode.'
  return undefined
}

export function serve(deps: RequestServerDeps): RequestServer {
  const running = new RunningByOrigin()
  const turns = deps.turns ?? new Serial()
  acceptPagePorts(deps.ports, requestPortName, deps.classify, (port, origin) => handle(port, origin, port.sender?.tab?.id))
  return { stop: (origin) => running.stop(origin) }

  function handle(port: Browser.runtime.Port, origin: string, tabId: number | undefined) {
    const context: Authorize.PageContext = { tabId, observed: deps.observed }
    const controller = new AbortController()
    let started = false
    let connected = true
    const post = (report: RequestReport) => {
      if (connected) port.postMessage(report)
    }
    port.onDisconnect.addListener(() => {
      connected = false
      controller.abort()
    })
    let answered: PaidRequest | undefined
    port.onMessage.addListener((command: RequestCommand) => {
      if (command?.type === 'received' && answered) {
        const request = answered
        void deps.scope().then((scope) => scope?.undelivered.confirm(origin, requestKey(request)))
        return
      }
      // Keepalives only keep Chrome's worker running while a long response flows.
      if (command?.type !== 'start' || started) return
      started = true
      stepMark('worker: request in')
      if (!isPaidRequest(command.request)) return post({ type: 'unpaid', outcome: 'refused', message: 'Drip could not read this request.' })
      const request = { ...command.request, method: command.request.method.toUpperCase() }
      answered = request
      running.add(controller, origin)
      const retry = command.retry === true
      // An event stream is paid in the site's turn; one waiting for the reader's approval waits outside it.
      const inTurn: Turn = asksForEventStream(request) ? (paid) => turns.run(origin, () => (controller.signal.aborted ? Promise.resolve() : paid())) : (paid) => paid()
      const pageContext = { ...context, credentials: request.credentials, observedOnly: request.media === true }
      void deps
        .scope()
        .then((scope) => answer(scope, origin, request, controller.signal, post, pageContext, { retry, waitMs: deps.approvalWaitMs, inTurn }))
        .catch((error: Error) => post({ type: 'unpaid', outcome: 'refused', message: error.message }))
        // The content script disconnects once it has the end: a disconnect from here could overtake the last chunk.
        .finally(() => {
          running.delete(controller)
          // Revoke, Lock or a lower cap stopped it; the page aborting would have disconnected.
          if (controller.signal.aborted) post({ type: 'error', message: 'Drip stopped this request (the site was revoked, or Drip locked).' })
        })
    })
  }
}

/** Runs the paid part of a request: at once, or in its site's turn (event streams). */
type Turn = (paid: () => Promise<void>) => Promise<void>

export type AnswerOptions = {
  /** The same request again after Chrome ended the worker: a kept answer may be handed over (`undelivered.ts`). */
  retry?: boolean
  /** How long the request waits for the reader's approval (`heldRequests.ts`). */
  waitMs?: number
  inTurn?: Turn
}

/** A request that asks for an event stream (every EventSource does). */
function asksForEventStream(request: PaidRequest): boolean {
  return request.headers.some(([name, value]) => name.toLowerCase() === 'accept' && value.includes('text/event-stream'))
}

type PageScope = Authorize.AuthorizeDeps & { records: ChannelRecords; undelivered: Undelivered; pagePayments: Serial; lookaheadUnits: (price: RawAmount, site: Approval) => Promise<number>; tabSpend?: TabSpend }

/** One page request, from the hand-over to the end of its response: screen, firewall and policy, then pay and fetch. */
export async function answer(
  scope: PageScope | undefined,
  origin: string,
  request: PaidRequest,
  signal: AbortSignal,
  post: (report: RequestReport) => void,
  context: Authorize.PageContext = {},
  { retry = false, waitMs, inTurn = (paid) => paid() }: AnswerOptions = {},
) {
  const problem = screenRequest(request)
  if (problem) return post({ type: 'unpaid', outcome: 'refused', message: problem })
  if (!scope) return post({ type: 'unpaid', outcome: 'locked', message: 'Drip has no account yet. Open Drip from the toolbar to set it up.' })
  const authorized = await authorizeOrWait(scope, origin, { url: request.url, method: request.method, wwwAuthenticate: request.wwwAuthenticate }, context, {
    signal,
    onWaiting: (message) => post({ type: 'waiting', message }),
    waitMs,
  })
  stepMark('worker: authorized')
  if (authorized.outcome !== 'authorized') return post({ type: 'unpaid', outcome: authorized.outcome, message: authorized.message })
  // Read only for an event stream (the setting is a storage round trip a photo does not need).
  const lookaheadUnits = () => scope.lookaheadUnits(authorized.challenge.amount, authorized.approval)
  const services = { payer: scope.payer, ledger: scope.ledger, records: scope.records, undelivered: scope.undelivered, fetch: scope.fetch, payments: scope.pagePayments }
  const { url, challenge, approval } = authorized
  // What this tab's page had Drip sign, for the popup's header.
  const onSigned = (amount: RawAmount) => void scope.tabSpend?.add(context.tabId, origin, amount)
  await inTurn(() => PaidRequestRun.run(services, { origin, request, url, challenge, approval, lookaheadUnits, signal, retry, onSigned }, post))
}
