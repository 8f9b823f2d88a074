/**
 * Runs in the page's own (MAIN) world. The page's `WebSocket`, wrapped.
 * A socket to another origin is the browser's own, untouched.
 *
 * On a site the reader approved (or that waits for approval,
 * `siteStatus.ts`), a socket to the page's own origin is first probed with
 * one plain GET of its http(s) twin: mppx's WebSocket sessions accept the
 * upgrade and answer that GET with the 402 challenge. If the site asks for
 * payment there, the socket is handed over to Drip, which opens it, pays
 * in-band and relays the site's application messages (`open`, `message`,
 * `close`, `send()`, `close()`, `binaryType`); if not, or if Drip does not
 * pay, the page gets the browser's own socket.
 *
 * On every other site nothing is sent but the page's own socket, at once.
 * Only if its handshake fails is the failure held while Drip is asked
 * whether the browser saw the upgrade answered 402 (`paymentQuery.ts`, a
 * site that refuses unpaid upgrades); if so it is paid as above, else the
 * page gets the browser's own error and close.
 */
import { Base64 } from 'ox'
import { defineEventHandlers, looksNative } from './eventHandlers'
import type { PaymentQuery } from './paymentQuery'
import type { SiteStatus } from './siteStatus'
import { type FrameData, httpUrlOf, type SocketCommand, type SocketReport } from '@/lib/protocol/socketPort'
import type { SocketHandOver } from './socketHandOver'

type Handler = ((this: WebSocket, event: Event) => unknown) | null
const [CONNECTING, OPEN, CLOSING, CLOSED] = [0, 1, 2, 3] as const

export type SocketPaymentChecks = {
  /** The page's own, unwrapped `fetch` (a 402 to it must not be paid: it only asks whether the URL is paid). */
  probe: typeof fetch
  /** Whether this page's site pays (approved or waiting): only then is a socket probed. */
  site: SiteStatus
  /** The challenge of a 402 the browser saw this tab's handshake get, or null. */
  paymentSeen: PaymentQuery
}

export function wrapWebSocket(Native: typeof WebSocket, checks: SocketPaymentChecks, handOver: SocketHandOver, base: () => string): typeof WebSocket {
  const { probe, site, paymentSeen } = checks
  class DripWebSocket extends EventTarget {
    declare static readonly CONNECTING: typeof CONNECTING
    declare static readonly OPEN: typeof OPEN
    declare static readonly CLOSING: typeof CLOSING
    declare static readonly CLOSED: typeof CLOSED
    declare readonly CONNECTING: typeof CONNECTING
    declare readonly OPEN: typeof OPEN
    declare readonly CLOSING: typeof CLOSING
    declare readonly CLOSED: typeof CLOSED
    readonly url: string
    declare onopen: Handler
    declare onmessage: Handler
    declare onerror: Handler
    declare onclose: Handler
    #protocols: string[]
    #native: WebSocket | undefined
    #paid: MessagePort | undefined
    #readyState: number = CONNECTING
    #protocol = ''
    #binaryType: BinaryType = 'blob'
    /** A failed handshake's error and close, held while Drip is asked whether it was a 402. */
    #held: Event[] | undefined
    /** close() before the socket was decided, while a failure was held, or while Drip was opening: nothing is paid. */
    #closedEarly = false

    constructor(url: string | URL, protocols?: string | string[]) {
      super()
      const resolved = new URL(url, base())
      if (resolved.protocol === 'http:') resolved.protocol = 'ws:'
      if (resolved.protocol === 'https:') resolved.protocol = 'wss:'
      if (resolved.protocol !== 'ws:' && resolved.protocol !== 'wss:') throw new DOMException(`The URL's scheme must be 'ws' or 'wss'; '${resolved.protocol}' is not allowed.`, 'SyntaxError')
      if (resolved.hash) throw new DOMException('The URL contains a fragment identifier.', 'SyntaxError')
      this.url = resolved.href
      this.#protocols = protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : [...protocols]
      assertProtocols(this.#protocols)
      const sameOrigin = httpUrlOf(resolved).origin === new URL(base()).origin
      if (sameOrigin && site.pays !== false) void this.#decide()
      else this.#attach(new Native(this.url, this.#protocols), sameOrigin)
    }

    get readyState() {
      return this.#native ? this.#native.readyState : this.#readyState
    }
    /** The extensions the browser negotiated (`permessage-deflate`); a paid socket's are Drip's, so none. */
    get extensions() {
      return this.#native ? this.#native.extensions : ''
    }
    get protocol() {
      return this.#native ? this.#native.protocol : this.#protocol
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
    }

    send(data: string | ArrayBufferLike | Blob | ArrayBufferView) {
      if (this.#native) return this.#native.send(data)
      if (this.#readyState === CONNECTING) throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError')
      if (this.#readyState !== OPEN || !this.#paid) return
      const port = this.#paid
      const post = (frame: FrameData) => port.postMessage({ type: 'send', data: frame } satisfies SocketCommand)
      if (typeof data === 'string') return post({ text: data })
      if (data instanceof Blob) return void data.arrayBuffer().then((buffer) => post({ base64: Base64.fromBytes(new Uint8Array(buffer)) }))
      const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data)
      post({ base64: Base64.fromBytes(bytes) })
    }

    close(code?: number, reason?: string) {
      if (code !== undefined && code !== 1000 && (code < 3000 || code > 4999))
        throw new DOMException(`The close code must be either 1000, or between 3000 and 4999. ${code} is neither.`, 'InvalidAccessError')
      if (this.#held) return void (this.#closedEarly = true)
      if (this.#native) return this.#native.close(code, reason)
      if (this.#readyState === CLOSING || this.#readyState === CLOSED) return
      if (!this.#paid) {
        // Not decided yet: it fails as a connecting browser socket does (error, then close 1006).
        this.#readyState = CLOSING
        this.#closedEarly = true
        return
      }
      this.#paid.postMessage({ type: 'close', ...(code === undefined ? {} : { code }), ...(reason === undefined ? {} : { reason }) } satisfies SocketCommand)
      this.#paid.close()
      this.#paid = undefined
      this.#readyState = CLOSING
      queueMicrotask(() => this.#closed(code ?? 1005, reason ?? '', true))
    }

    /** A site that pays: probes the same-origin URL; hands the socket over to Drip if the site asks for payment there. */
    async #decide() {
      if (!(await site.paying())) return this.#closedEarly ? this.#failedConnecting() : this.#attach(new Native(this.url, this.#protocols), true)
      let challenge: string | null = null
      try {
        const response = await probe(httpUrlOf(new URL(this.url)).href, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
        await response.body?.cancel().catch(() => undefined)
        const header = response.headers.get('www-authenticate')
        if (response.status === 402 && header && /\bpayment\b/i.test(header)) challenge = header
      } catch {
        // Unreachable over HTTP: the browser's own socket reports it as it would.
      }
      if (this.#closedEarly) return this.#failedConnecting()
      if (challenge === null) return this.#attach(new Native(this.url, this.#protocols), false)
      this.#payFor(challenge)
    }

    /** The handshake failed: if the browser saw a 402 with a payment challenge, Drip takes the socket over; else the page gets the failure. */
    async #afterFailedHandshake() {
      const challenge = await paymentSeen(this.url).catch(() => null)
      if (challenge === null || this.#closedEarly) return this.#releaseHeld()
      this.#native = undefined
      this.#readyState = CONNECTING
      this.#payFor(challenge)
    }

    #payFor(challenge: string) {
      const port = handOver({ url: this.url, protocols: this.#protocols, wwwAuthenticate: challenge })
      this.#paid = port
      port.onmessage = (event: MessageEvent<SocketReport>) => this.#report(event.data)
    }

    #report(report: SocketReport) {
      switch (report.type) {
        case 'unpaid':
          this.#paid?.close()
          this.#paid = undefined
          // Not paid: the page gets what the browser's own socket reported, or (after a probe) the browser's own socket.
          if (this.#held) return this.#releaseHeld()
          if (this.#closedEarly) return this.#failedConnecting()
          return this.#attach(new Native(this.url, this.#protocols), false)
        case 'open':
          if (this.#closedEarly) {
            this.#held = undefined
            return this.close()
          }
          this.#held = undefined
          this.#readyState = OPEN
          this.#protocol = report.protocol
          return this.#emit(new Event('open'))
        case 'message': {
          if (this.#readyState !== OPEN) return
          const { data } = report
          const value = 'text' in data ? data.text : this.#binaryType === 'arraybuffer' ? Base64.toBytes(data.base64).buffer : new Blob([Base64.toBytes(data.base64) as Uint8Array<ArrayBuffer>])
          return this.#emit(new MessageEvent('message', { data: value, origin: new URL(this.url).origin }))
        }
        case 'close':
          this.#paid?.close()
          this.#paid = undefined
          if (!report.wasClean) this.#emit(new Event('error'))
          return this.#closed(report.code, report.reason, report.wasClean)
      }
    }

    #failedConnecting() {
      this.#emit(new Event('error'))
      this.#closed(1006, '', false)
    }

    /** The browser's own failure, as it reported it: error, then close. */
    #releaseHeld() {
      const held = this.#held ?? []
      this.#held = undefined
      this.#readyState = CLOSED
      for (const event of held) this.#emit(event)
    }

    #closed(code: number, reason: string, wasClean: boolean) {
      if (this.#readyState === CLOSED) return
      this.#readyState = CLOSED
      this.#emit(new CloseEvent('close', { code, reason, wasClean }))
    }

    /**
     * The browser's own socket: its events re-dispatched on this object. A
     * socket that may be paid (the page's own origin) holds a failed
     * handshake's error and close until Drip has said whether it was a 402.
     */
    #attach(native: WebSocket, mayBePaid: boolean) {
      this.#native = native
      native.binaryType = this.#binaryType
      let opened = false
      const failedHandshake = () => mayBePaid && !opened && this.#native === native
      native.addEventListener('open', () => {
        opened = true
        this.#emit(new Event('open'))
      })
      native.addEventListener('message', (event) => this.#emit(new MessageEvent('message', { data: event.data, origin: event.origin })))
      native.addEventListener('error', () => (failedHandshake() ? (this.#held ??= []).push(new Event('error')) : this.#emit(new Event('error'))))
      native.addEventListener('close', (event) => {
        const close = new CloseEvent('close', { code: event.code, reason: event.reason, wasClean: event.wasClean })
        if (!failedHandshake()) return this.#emit(close)
        ;(this.#held ??= []).push(close)
        void this.#afterFailedHandshake()
      })
    }

    #emit(event: Event) {
      this.dispatchEvent(event)
    }
  }
  defineEventHandlers(DripWebSocket.prototype, ['open', 'message', 'error', 'close'])
  looksNative(DripWebSocket, 'WebSocket', { CONNECTING, OPEN, CLOSING, CLOSED })
  return DripWebSocket as unknown as typeof WebSocket
}

/** Subprotocols as the browser checks them: tokens (RFC 7230), no duplicates, else `SyntaxError`. */
function assertProtocols(protocols: string[]) {
  const seen = new Set<string>()
  for (const protocol of protocols) {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(protocol)) throw new DOMException(`The subprotocol '${protocol}' is invalid.`, 'SyntaxError')
    if (seen.has(protocol)) throw new DOMException(`The subprotocol '${protocol}' is duplicated.`, 'SyntaxError')
    seen.add(protocol)
  }
}
