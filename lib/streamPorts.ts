/**
 * Paid streams for content scripts, over `browser.runtime` ports: one port
 * per declared stream. The site's origin is the port sender's. Closing the
 * port, or Stop, aborts the stream: no voucher is signed after it.
 */
import { type Browser, browser } from 'wxt/browser'
import * as Messaging from './messaging'
import * as Payments from './payments'
import * as Settings from './settings'
import { Serial } from './serial'
import * as Streams from './streams'

/**
 * A site's streams share its channel, and the server prices each voucher
 * request against everything the channel owes. Concurrent streams would make
 * those requests race, so one site streams one at a time: a second tab waits
 * its turn and nothing is ever signed for words not yet delivered.
 */
type Turns = { serial: Serial; running: Map<string, number> }

export function serve(deps: Payments.PaymentDeps) {
  const turns: Turns = { serial: new Serial(), running: new Map() }
  const extension = { id: browser.runtime.id, origin: Messaging.originOf(browser.runtime.getURL('/'))! }
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== Messaging.streamPortName) return
    const caller = Messaging.classify(port.sender ?? {}, extension)
    if (caller?.kind !== 'page') return port.disconnect()
    handle(deps, port, caller.origin, port.sender?.url ?? caller.origin, turns)
  })
}

function handle(deps: Payments.PaymentDeps, port: Browser.runtime.Port, origin: string, pageUrl: string, turns: Turns) {
  const controller = new AbortController()
  let resume: (() => void) | undefined
  let paused: Promise<void> | undefined
  let started = false
  let connected = true
  // After Stop the driver still reports how the stream ended; after a disconnect there is no one to tell.
  const post = (report: Messaging.StreamReport) => {
    if (connected) port.postMessage(report)
  }

  port.onDisconnect.addListener(() => {
    connected = false
    controller.abort()
    resume?.()
  })
  port.onMessage.addListener((command: Messaging.StreamCommand) => {
    if (command?.type === 'pause' && !paused) paused = new Promise((resolve) => (resume = resolve))
    if (command?.type === 'resume') {
      resume?.()
      paused = undefined
    }
    if (command?.type === 'stop') {
      controller.abort()
      resume?.()
    }
    if (command?.type === 'start' && !started && typeof command.url === 'string') {
      started = true
      const resumeFrom = Number.isSafeInteger(command.resumeFrom) && command.resumeFrom! > 0 ? command.resumeFrom : undefined
      void start(command.url, resumeFrom)
    }
  })

  async function start(path: string, resumeFrom: number | undefined) {
    let url: string
    try {
      url = new URL(path, pageUrl).href
    } catch {
      return post({ type: 'refused', message: `"${path}" is not a stream URL.` })
    }
    const { serial, running } = turns
    if (running.get(origin)) post({ type: 'waiting', message: `Waiting for ${origin}'s other stream to finish.` })
    running.set(origin, (running.get(origin) ?? 0) + 1)
    try {
      await serial.run(origin, () => (controller.signal.aborted ? Promise.resolve() : pay(url, resumeFrom)))
    } finally {
      running.set(origin, running.get(origin)! - 1)
    }
  }

  async function pay(url: string, resumeFrom: number | undefined) {
    const authorized = await Payments.authorize(deps, origin, { url, method: 'GET', wwwAuthenticate: null })
    if (authorized.outcome !== 'authorized') return post({ type: authorized.outcome, message: authorized.message })
    await Streams.run(
      { sessions: authorized.sessions, ledger: authorized.ledger, fetch: deps.fetch },
      {
        origin,
        url: authorized.url.href,
        challenge: authorized.challenge,
        approval: authorized.approval,
        lookaheadUnits: await Settings.lookaheadUnits(),
        signal: controller.signal,
        whenRunning: () => paused ?? Promise.resolve(),
        resumeFrom,
      },
      post,
    )
  }
}
