/**
 * Runs in the page's own (MAIN) world. The page's `WebSocket`, wrapped.
 * A socket to another origin is the browser's own, untouched. A socket to
 * the page's own origin is first probed with one plain GET of its http(s)
 * twin (what mppx's WebSocket sessions answer with a 402 challenge): if
 * the site asks for payment there, the socket is handed over to Drip,
 * which opens it, pays in-band and relays the site's application messages
 * (`open`, `message`, `close`, `send()`, `close()`, `binaryType`); if Drip
 * does not pay (unapproved, locked), or the site asks nothing, the page
 * gets the browser's own socket, as it would without Drip.
 */
import { Base64 } from 'ox'
import { type FrameData, httpUrlOf, pageSocketTag, type PaidSocket, type SocketCommand, type SocketReport } from '@/lib/protocol/socketPort'

/** Opens a paid socket through the content script; the port carries `SocketCommand`s out and `SocketReport`s in. */
export type SocketHandOver = (socket: PaidSocket) => MessagePort

export function createSocketHandOver(target: Window): SocketHandOver {
  return (socket) => {
    const channel = new MessageChannel()
    target.postMessage({ drip: pageSocketTag, command: { type: 'open', socket } satisfies SocketCommand }, target.location.origin, [channel.port2])
    return channel.port1
  }
}

type Handler = ((this: WebSocket, event: Event) => unknown) | null
const [CONNECTING, OPEN, CLOSING, CLOSED] = [0, 1, 2, 3] as const

/** `probe`: the page's own, unwrapped `fetch` (a 402 to it must not be paid: it only asks whether the URL is paid). */
export function wrapWebSocket(Native: typeof WebSocket, probe: typeof fetch, handOver: SocketHandOver, base: () => string): typeof WebSocket {
  class DripWebSocket extends EventTarget {
    static readonly CONNECTING = CONNECTING
    static readonly OPEN = OPEN
    static readonly CLOSING = CLOSING
    static readonly CLOSED = CLOSED
    readonly CONNECTING = CONNECTING
    readonly OPEN = OPEN
    readonly CLOSING = CLOSING
    readonly CLOSED = CLOSED
    readonly url: string
    readonly extensions = ''
    onopen: Handler = null
    onmessage: Handler = null
    onerror: Handler = null
    onclose: Handler = null
    #protocols: string[]
    #native: WebSocket | undefined
    #paid: MessagePort | undefined
    #readyState: number = CONNECTING
    #protocol = ''
    #binaryType: BinaryType = 'blob'
    /** close() before the socket was decided: the code and reason to report. */
    #closedEarly: { code: number; reason: string } | undefined

    constructor(url: string | URL, protocols?: string | string[]) {
      super()
      const resolved = new URL(url, base())
      if (resolved.protocol === 'http:') resolved.protocol = 'ws:'
      if (resolved.protocol === 'https:') resolved.protocol = 'wss:'
      if (resolved.protocol !== 'ws:' && resolved.protocol !== 'wss:') throw new DOMException(`The URL's scheme must be 'ws' or 'wss'; '${resolved.protocol}' is not allowed.`, 'SyntaxError')
      if (resolved.hash) throw new DOMException('The URL contains a fragment identifier.', 'SyntaxError')
      this.url = resolved.href
      this.#protocols = protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : [...protocols]
      const page = new URL(base())
      if (httpUrlOf(resolved).origin !== page.origin) this.#attach(new Native(this.url, this.#protocols))
      else void this.#decide()
    }

    get readyState() {
      return this.#native ? this.#native.readyState : this.#readyState
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
      if (this.#native) return this.#native.close(code, reason)
      if (this.#readyState === CLOSING || this.#readyState === CLOSED) return
      if (!this.#paid) {
        this.#readyState = CLOSING
        this.#closedEarly = { code: code ?? 1005, reason: reason ?? '' }
        return
      }
      this.#paid.postMessage({ type: 'close', ...(code === undefined ? {} : { code }), ...(reason === undefined ? {} : { reason }) } satisfies SocketCommand)
      this.#paid.close()
      this.#paid = undefined
      this.#readyState = CLOSING
      queueMicrotask(() => this.#closed(code ?? 1005, reason ?? '', true))
    }

    /** Probes the same-origin URL; hands the socket over to Drip if the site asks for payment there. */
    async #decide() {
      let challenge: string | null = null
      try {
        const response = await probe(httpUrlOf(new URL(this.url)).href, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
        await response.body?.cancel().catch(() => undefined)
        const header = response.headers.get('www-authenticate')
        if (response.status === 402 && header && /\bpayment\b/i.test(header)) challenge = header
      } catch {
        // Unreachable over HTTP: the browser's own socket reports it as it would.
      }
      if (this.#closedEarly) return this.#closed(this.#closedEarly.code, this.#closedEarly.reason, false)
      if (challenge === null) return this.#attach(new Native(this.url, this.#protocols))
      const port = handOver({ url: this.url, protocols: this.#protocols, wwwAuthenticate: challenge })
      this.#paid = port
      port.onmessage = (event: MessageEvent<SocketReport>) => this.#report(event.data)
    }

    #report(report: SocketReport) {
      switch (report.type) {
        case 'unpaid':
          this.#paid?.close()
          this.#paid = undefined
          if (this.#closedEarly) return this.#closed(this.#closedEarly.code, this.#closedEarly.reason, false)
          // Not paid: the page gets the browser's own socket, as without Drip.
          return this.#attach(new Native(this.url, this.#protocols))
        case 'open':
          if (this.#closedEarly) return this.close()
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

    #closed(code: number, reason: string, wasClean: boolean) {
      if (this.#readyState === CLOSED) return
      this.#readyState = CLOSED
      this.#emit(new CloseEvent('close', { code, reason, wasClean }))
    }

    /** The browser's own socket: its events re-dispatched on this object. */
    #attach(native: WebSocket) {
      this.#native = native
      native.binaryType = this.#binaryType
      native.addEventListener('open', () => this.#emit(new Event('open')))
      native.addEventListener('message', (event) => this.#emit(new MessageEvent('message', { data: event.data, origin: event.origin })))
      native.addEventListener('error', () => this.#emit(new Event('error')))
      native.addEventListener('close', (event) => this.#emit(new CloseEvent('close', { code: event.code, reason: event.reason, wasClean: event.wasClean })))
    }

    #emit(event: Event) {
      const handler = { open: this.onopen, message: this.onmessage, error: this.onerror, close: this.onclose }[event.type]
      handler?.call(this as unknown as WebSocket, event)
      this.dispatchEvent(event)
    }
  }
  return DripWebSocket as unknown as typeof WebSocket
}
