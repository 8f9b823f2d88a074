/**
 * Runs in the page's own (MAIN) world. A same-origin socket on a site the
 * reader approved (or that waits for approval, `siteStatus.ts`): before any
 * socket is opened, its http(s) twin is probed with one plain GET (mppx's
 * WebSocket sessions accept the upgrade and answer that GET with the 402
 * challenge). If the site asks for payment there, Drip opens the socket,
 * pays in-band and relays the site's messages (`paidSocketLink.ts`); if not,
 * or if Drip does not pay, this object carries the browser's own socket,
 * its events re-dispatched. A handshake that fails is held while Drip is
 * asked whether the browser saw it answered 402.
 *
 * The object is one the page's `WebSocket` constructor returns
 * (`webSocket.ts`): an instance of it (its constants, name and tag come from
 * there), with `on*` accessors of its own.
 */
import { defineEventHandlers } from './eventHandlers'
import { classPrintsAs } from './sourceText'
import { assertCloseCode, CLOSED, CLOSING, CONNECTING, PaidSocketLink } from './paidSocketLink'
import type { PaymentQuery } from './paymentQuery'
import type { SiteStatus } from './siteStatus'
import { httpUrlOf } from '@/lib/protocol/socketPort'
import type { SocketHandOver } from './socketHandOver'

/** What decides whether a socket is Drip's to pay. */
export type SocketPaymentChecks = {
  /** The page's own, unwrapped `fetch` (a 402 to it must not be paid: it only asks whether the URL is paid). */
  probe: typeof fetch
  /** Whether this page's site pays (approved or waiting): only then is a socket probed. */
  site: Pick<SiteStatus, 'pays' | 'paying'>
  /** The challenge of a 402 the browser saw this tab's handshake get, or null. */
  paymentSeen: PaymentQuery
}

type Handler = ((this: WebSocket, event: Event) => unknown) | null

/**
 * One plain GET of a socket's http(s) twin: the 402's Payment challenge if the site answers one (mppx's WebSocket
 * sessions do), else null; unreachable over HTTP is null too (the browser's own socket reports it as it would).
 */
export async function probeForChallenge(probe: typeof fetch, socketUrl: string): Promise<string | null> {
  try {
    const response = await probe(httpUrlOf(new URL(socketUrl)).href, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
    await response.body?.cancel().catch(() => undefined)
    const header = response.headers.get('www-authenticate')
    return response.status === 402 && header && /\bpayment\b/i.test(header) ? header : null
  } catch {
    return null
  }
}

export function probedSocketClass(Native: typeof WebSocket, checks: SocketPaymentChecks, handOver: SocketHandOver) {
  const { probe, site, paymentSeen } = checks
  class ProbedWebSocket extends EventTarget {
    declare onopen: Handler
    declare onmessage: Handler
    declare onerror: Handler
    declare onclose: Handler
    readonly url: string
    #protocols: string[]
    #native: WebSocket | undefined
    #link: PaidSocketLink | undefined
    /** Before the probe decided, or after the page closed a socket that was not decided. */
    #readyState: number = CONNECTING
    #binaryType: BinaryType = 'blob'
    /** A failed handshake's error and close, held while Drip is asked whether it was a 402. */
    #held: Event[] | undefined
    /** close() before the socket was decided, or while a failure was held: nothing is paid. */
    #closedEarly = false

    /** `url` resolved and checked, `protocols` checked, by the page's `WebSocket` constructor. */
    constructor(url: URL, protocols: string[]) {
      super()
      this.url = url.href
      this.#protocols = protocols
      void this.#decide()
    }

    get readyState() {
      return this.#link ? this.#link.readyState : this.#native ? this.#native.readyState : this.#readyState
    }
    /** The extensions the browser negotiated (`permessage-deflate`); a paid socket's are Drip's, so none. */
    get extensions() {
      return this.#native ? this.#native.extensions : ''
    }
    get protocol() {
      return this.#link ? this.#link.protocol : this.#native ? this.#native.protocol : ''
    }
    get bufferedAmount() {
      return this.#native ? this.#native.bufferedAmount : 0
    }
    get binaryType(): BinaryType {
      return this.#binaryType
    }
    set binaryType(value: BinaryType) {
      if (value !== 'blob' && value !== 'arraybuffer') return
      this.#binaryType = value
      if (this.#native) this.#native.binaryType = value
      if (this.#link) this.#link.binaryType = value
    }

    send(data: string | ArrayBufferLike | Blob | ArrayBufferView) {
      if (this.#link) return this.#link.send(data)
      if (this.#native) return this.#native.send(data)
      if (this.#readyState === CONNECTING) throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError')
    }

    close(code?: number, reason?: string) {
      assertCloseCode(code)
      if (this.#held) return void (this.#closedEarly = true)
      if (this.#link) return this.#link.close(code, reason)
      if (this.#native) return this.#native.close(code, reason)
      if (this.#readyState === CLOSING || this.#readyState === CLOSED) return
      // Not decided yet: it fails as a connecting browser socket does (error, then close 1006).
      this.#readyState = CLOSING
      this.#closedEarly = true
    }

    async #decide() {
      if (!(await site.paying())) return this.#closedEarly ? this.#failedConnecting() : this.#attach(new Native(this.url, this.#protocols))
      const challenge = await probeForChallenge(probe, this.url)
      if (this.#closedEarly) return this.#failedConnecting()
      if (challenge === null) return this.#attach(new Native(this.url, this.#protocols))
      this.#payFor(challenge, () => (this.#closedEarly ? this.#failedConnecting() : this.#attach(new Native(this.url, this.#protocols))))
    }

    /** The handshake failed: if the browser saw a 402 with a payment challenge, Drip takes the socket over; else the page gets the failure. */
    async #afterFailedHandshake() {
      const challenge = await paymentSeen(this.url).catch(() => null)
      if (challenge === null || this.#closedEarly) return this.#releaseHeld()
      this.#native = undefined
      this.#payFor(challenge, () => this.#releaseHeld())
    }

    #payFor(challenge: string, unpaid: () => void) {
      this.#link = new PaidSocketLink({ url: this.url, protocols: this.#protocols, wwwAuthenticate: challenge, binaryType: this.#binaryType }, handOver, {
        emit: (event) => {
          // Drip opened it: a held failure is over; if the page closed the socket meanwhile, Drip closes it.
          this.#held = undefined
          if (event.type === 'open' && this.#closedEarly) return this.#link?.close()
          this.dispatchEvent(event)
        },
        unpaid: () => {
          this.#link = undefined
          unpaid()
        },
      })
    }

    #failedConnecting() {
      this.#readyState = CLOSED
      this.dispatchEvent(new Event('error'))
      this.dispatchEvent(new CloseEvent('close', { code: 1006, reason: '', wasClean: false }))
    }

    /** The browser's own failure, as it reported it: error, then close. */
    #releaseHeld() {
      const held = this.#held ?? []
      this.#held = undefined
      this.#readyState = CLOSED
      for (const event of held) this.dispatchEvent(event)
    }

    /**
     * The browser's own socket: its events re-dispatched on this object. A
     * failed handshake's error and close are held until Drip has said
     * whether it was a 402.
     */
    #attach(native: WebSocket) {
      this.#native = native
      native.binaryType = this.#binaryType
      let opened = false
      const failedHandshake = () => !opened && this.#native === native
      native.addEventListener('open', () => {
        opened = true
        this.dispatchEvent(new Event('open'))
      })
      native.addEventListener('message', (event) => this.dispatchEvent(new MessageEvent('message', { data: event.data, origin: event.origin })))
      native.addEventListener('error', () => (failedHandshake() ? (this.#held ??= []).push(new Event('error')) : this.dispatchEvent(new Event('error'))))
      native.addEventListener('close', (event) => {
        const close = new CloseEvent('close', { code: event.code, reason: event.reason, wasClean: event.wasClean })
        if (!failedHandshake()) return this.dispatchEvent(close)
        ;(this.#held ??= []).push(close)
        void this.#afterFailedHandshake()
      })
    }
  }
  defineEventHandlers(ProbedWebSocket.prototype, ['open', 'message', 'error', 'close'])
  classPrintsAs(ProbedWebSocket, Native)
  return ProbedWebSocket
}
