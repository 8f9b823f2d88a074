/**
 * Runs in the page's own (MAIN) world. A socket Drip pays, as the page's
 * WebSocket object shows it: the hand-over (`socketHandOver.ts`) opens it in
 * the background, and this link turns Drip's reports into the page's
 * events (`open`, `message`, `error`, `close`) and the page's `send()` and
 * `close()` into commands. The wrapped WebSocket objects (`webSocket.ts`,
 * `probedSocket.ts`) show its state while Drip carries the socket.
 */
import { ownBytes } from '@/lib/protocol/bytes'
import type { FrameData, SocketCommand, SocketReport } from '@/lib/protocol/socketPort'
import type { SocketHandOver } from './socketHandOver'

export const [CONNECTING, OPEN, CLOSING, CLOSED] = [0, 1, 2, 3] as const

export type LinkEvents = {
  /** An event for the page, dispatched on its WebSocket object. */
  emit(event: Event): void
  /** Drip did not pay (pending, locked, refused): the page's object decides what the page sees. */
  unpaid(): void
}

export class PaidSocketLink {
  readyState: number = CONNECTING
  protocol = ''
  binaryType: BinaryType = 'blob'
  #port: MessagePort | undefined
  readonly #url: string
  readonly #events: LinkEvents

  constructor(socket: { url: string; protocols: string[]; wwwAuthenticate: string; binaryType: BinaryType }, handOver: SocketHandOver, events: LinkEvents) {
    this.#url = socket.url
    this.#events = events
    this.binaryType = socket.binaryType
    this.#port = handOver({ url: socket.url, protocols: socket.protocols, wwwAuthenticate: socket.wwwAuthenticate })
    this.#port.onmessage = (event: MessageEvent<SocketReport>) => this.#report(event.data)
  }

  send(data: string | ArrayBufferLike | Blob | ArrayBufferView) {
    if (this.readyState === CONNECTING) throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError')
    if (this.readyState !== OPEN || !this.#port) return
    const port = this.#port
    const post = (frame: FrameData) => port.postMessage({ type: 'send', data: frame } satisfies SocketCommand)
    if (typeof data === 'string') return post({ text: data })
    if (data instanceof Blob) return void data.arrayBuffer().then((buffer) => post({ bytes: new Uint8Array(buffer) }))
    // The view's own bytes only (a clone of a view carries its whole buffer), copied only when the view is part of one.
    post({ bytes: ownBytes(ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data)) })
  }

  /**
   * The page's close() (its code was checked by the caller): Drip is told at
   * once. An open socket closes cleanly; one still connecting fails as a
   * connecting browser socket does (error, then close 1006).
   */
  close(code?: number, reason?: string) {
    if (this.readyState === CLOSING || this.readyState === CLOSED) return
    const connecting = this.readyState === CONNECTING
    this.#port?.postMessage({ type: 'close', ...(code === undefined ? {} : { code }), ...(reason === undefined ? {} : { reason }) } satisfies SocketCommand)
    this.#port?.close()
    this.#port = undefined
    this.readyState = CLOSING
    queueMicrotask(() => {
      if (!connecting) return this.#closed(code ?? 1005, reason ?? '', true)
      this.#events.emit(new Event('error'))
      this.#closed(1006, '', false)
    })
  }

  #report(report: SocketReport) {
    switch (report.type) {
      case 'unpaid':
        this.#port?.close()
        this.#port = undefined
        return this.#events.unpaid()
      case 'open':
        this.readyState = OPEN
        this.protocol = report.protocol
        return this.#events.emit(new Event('open'))
      case 'message': {
        if (this.readyState !== OPEN) return
        const { data } = report
        const value = 'text' in data ? data.text : this.binaryType === 'arraybuffer' ? ownBytes(data.bytes).buffer : new Blob([data.bytes])
        return this.#events.emit(new MessageEvent('message', { data: value, origin: new URL(this.#url).origin }))
      }
      case 'close':
        this.#port?.close()
        this.#port = undefined
        if (!report.wasClean) this.#events.emit(new Event('error'))
        return this.#closed(report.code, report.reason, report.wasClean)
    }
  }

  #closed(code: number, reason: string, wasClean: boolean) {
    if (this.readyState === CLOSED) return
    this.readyState = CLOSED
    this.#events.emit(new CloseEvent('close', { code, reason, wasClean }))
  }
}

/** The page's close code, checked as the browser checks it. */
export function assertCloseCode(code: number | undefined) {
  if (code !== undefined && code !== 1000 && (code < 3000 || code > 4999))
    throw new DOMException(`The close code must be either 1000, or between 3000 and 4999. ${code} is neither.`, 'InvalidAccessError')
}
