/**
 * Paid streams for content scripts, over `browser.runtime` ports: one port
 * per stream. The site's origin is the port sender's, as the browser says.
 * Closing the port, Stop, Revoke or Lock aborts the stream: no voucher is
 * signed after it.
 *
 * A site's streams share its channel, and the server prices each voucher
 * request against everything the channel owes. Concurrent streams would make
 * those requests race, so one site streams one at a time: a second tab waits
 * its turn and nothing is ever signed for words not yet delivered.
 */
import type { RawAmount } from '@/lib/shared/amounts'
import type { Browser } from 'wxt/browser'
import type { Caller } from '@/lib/protocol/messages'
import { type StreamCommand, type StreamReport, streamPortName } from '@/lib/protocol/streamPort'
import * as Authorize from '@/lib/payments/authorize'
import * as Challenge from '@/lib/payments/challenge'
import type { FreshChallenges } from '@/lib/payments/freshChallenges'
import * as Policy from '@/lib/payments/policy'
import { Serial } from '@/lib/shared/serial'
import * as Driver from '@/lib/streams/driver'
import { batchMessages, type Unbatched } from '@/lib/streams/messageBatch'
import { acceptPagePorts, type PortSource, RunningByOrigin } from './pagePorts'
import type { TabSpend } from '@/lib/payments/tabSpend'

export type StreamServerDeps = {
  /** The current account's payment services, or undefined without an account. */
  scope: () => Promise<StreamScope | undefined>
  classify: (sender: Browser.runtime.MessageSender) => Caller | undefined
  /** The runtime ports pages open (`pagePorts.ts`). */
  ports: PortSource
  /** One paid stream per site at a time, shared with pages' own event streams (`requestServer.ts`). */
  turns?: Serial
  /** Challenges read for earlier streams, to skip the site's 402 round trip on an open channel. */
  challenges?: FreshChallenges
}

export type StreamServer = {
  /** Aborts the running and waiting streams of one origin, or of every origin. */
  stop(origin?: string): void
}

export function serve(deps: StreamServerDeps): StreamServer {
  const turns = deps.turns ?? new Serial()
  const waiting = new Map<string, number>()
  const running = new RunningByOrigin()
  acceptPagePorts(deps.ports, streamPortName, deps.classify, (port, origin) => handle(port, origin, port.sender?.url ?? origin, port.sender?.tab?.id))
  return { stop: (origin) => running.stop(origin) }

  function handle(port: Browser.runtime.Port, origin: string, pageUrl: string, tabId: number | undefined) {
    const controller = new AbortController()
    running.add(controller, origin)
    let resume: (() => void) | undefined
    let paused: Promise<void> | undefined
    let started = false
    let connected = true
    // After Stop the driver still reports how the stream ended; after a disconnect there is no one to tell.
    const post = batchMessages((report: StreamReport) => {
      if (connected) port.postMessage(report)
    })
    controller.signal.addEventListener('abort', () => resume?.(), { once: true })
    port.onDisconnect.addListener(() => {
      connected = false
      controller.abort()
    })
    port.onMessage.addListener((command: StreamCommand) => {
      if (command?.type === 'pause' && !paused) paused = new Promise((resolve) => (resume = resolve))
      if (command?.type === 'resume') {
        resume?.()
        paused = undefined
      }
      if (command?.type === 'stop') controller.abort()
      if (command?.type === 'start' && !started && typeof command.url === 'string') {
        started = true
        const resumeFrom = Number.isSafeInteger(command.resumeFrom) && command.resumeFrom! >= 0 ? command.resumeFrom : undefined
        void start(command.url, resumeFrom).finally(() => running.delete(controller))
      }
    })

    async function start(path: string, resumeFrom: number | undefined) {
      let url: string
      try {
        url = new URL(path, pageUrl).href
      } catch {
        return post({ type: 'refused', message: `"${path.slice(0, 200)}" is not a stream URL.` })
      }
      if (waiting.get(origin)) post({ type: 'waiting', message: `Waiting for ${origin}'s other stream to finish.` })
      waiting.set(origin, (waiting.get(origin) ?? 0) + 1)
      try {
        await turns.run(origin, () => (controller.signal.aborted ? Promise.resolve() : pay(url, resumeFrom)))
      } finally {
        waiting.set(origin, waiting.get(origin)! - 1)
      }
    }

    async function pay(url: string, resumeFrom: number | undefined) {
      const scope = await deps.scope()
      if (!scope) return post({ type: 'locked', message: 'Drip has no account yet. Open Drip from the toolbar to set it up.' })
      const onSigned = (amount: RawAmount) => void scope.tabSpend?.add(tabId, origin, amount)
      await payStream(scope, deps.challenges, { origin, url, resumeFrom, signal: controller.signal, whenRunning: () => paused ?? Promise.resolve(), onSigned }, post)
    }
  }
}

export type StreamScope = Authorize.AuthorizeDeps & { lookaheadUnits: (price: RawAmount, site: Policy.Approval) => Promise<number>; tabSpend?: TabSpend }

/**
 * One declared stream, from its authorization to its end: on a challenge
 * kept from an earlier stream of the URL or the site's own, read now (which
 * is then kept), metered by the driver. A stream that failed on a kept
 * challenge (the site changed its terms, say) never tries that one again.
 */
export async function payStream(
  scope: StreamScope,
  challenges: FreshChallenges | undefined,
  args: Pick<Driver.StreamArgs, 'origin' | 'url' | 'resumeFrom' | 'signal' | 'whenRunning' | 'onSigned'>,
  post: (report: Unbatched) => void,
): Promise<void> {
  const { origin, url } = args
  const authorized = await authorizeStream(scope, challenges, origin, url, args.resumeFrom)
  if (authorized.outcome !== 'authorized') return post({ type: authorized.outcome, message: authorized.message })
  if (authorized.challenge.intent !== 'session') return post({ type: 'refused', message: `${origin} sells this as a one-time purchase, not a metered stream.` })
  const keep = (challenge: Challenge.SessionChallenge) => challenges?.keep(origin, url, Challenge.serialize(challenge), challenge.expires)
  if (!authorized.reused) keep(authorized.challenge)
  const end = await Driver.run(
    { payer: scope.payer, ledger: scope.ledger, fetch: scope.fetch },
    {
      ...args,
      url: authorized.url.href,
      challenge: authorized.challenge,
      approval: authorized.approval,
      lookaheadUnits: await scope.lookaheadUnits(authorized.challenge.amount, authorized.approval),
      reusedChallenge: authorized.reused,
      onCurrentChallenge: keep,
    },
    post,
  )
  if (authorized.reused && end.reason !== 'complete' && end.reason !== 'stopped') challenges?.forget(origin, url)
}

/**
 * A declared stream's challenge: one kept from an earlier stream of this URL
 * when the site's channel is open (and this is not a resume, whose first
 * request may be refused for other reasons), else the site's, read now.
 * Either goes through the firewall and the policy (`authorize.ts`).
 */
async function authorizeStream(
  scope: Authorize.AuthorizeDeps,
  challenges: FreshChallenges | undefined,
  origin: string,
  url: string,
  resumeFrom: number | undefined,
): Promise<(Authorize.Authorized & { reused: boolean }) | Authorize.Refusal> {
  const kept = resumeFrom === undefined ? challenges?.get(origin, url) : undefined
  if (kept && (await mayReuse(scope, origin, kept))) {
    const authorized = await Authorize.authorize(scope, origin, { url, method: 'GET', wwwAuthenticate: kept })
    if (authorized.outcome === 'authorized') return { ...authorized, reused: true }
  }
  if (kept) challenges?.forget(origin, url)
  const authorized = await Authorize.authorize(scope, origin, { url, method: 'GET', wwwAuthenticate: null })
  return authorized.outcome === 'authorized' ? { ...authorized, reused: false } : authorized
}

/** A kept challenge is worth trying only on an open channel and approved terms: otherwise the site's own is read (and a pending request, if any, is made from it). */
async function mayReuse(scope: Authorize.AuthorizeDeps, origin: string, header: string): Promise<boolean> {
  let challenge: Challenge.SessionChallenge
  try {
    challenge = Challenge.parse(header)
  } catch {
    return false
  }
  return Policy.decide(challenge, await scope.approvals.get(origin)).kind === 'pay' && (await scope.payer.signed(origin, challenge)) !== undefined
}
