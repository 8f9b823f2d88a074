/**
 * Runs in the page's own (MAIN) world. The page's `EventSource`, wrapped:
 * every connection starts as the browser's own, untouched. Only when it
 * fails before opening does the wrapper ask Drip whether the browser saw it
 * answered 402 (`paymentQuery.ts`: nothing is fetched to find out); then it
 * connects again with the page's wrapped `fetch`, and if Drip pays, the same object
 * carries on with the paid stream (`open`, `message`, named events,
 * `readyState`, `lastEventId`, `close()`), and the page never sees the 402.
 *
 * A paid stream the site completed (it sent its final payment receipt) is
 * finished: the wrapper closes instead of reconnecting, so a page never pays
 * twice for one read because EventSource reconnects by default. A paid
 * stream that broke off reconnects with `Last-Event-ID`, as the native one.
 */
import { createParser } from 'eventsource-parser'
import { defineEventHandlers, looksNative } from './eventHandlers'
import type { PaymentQuery } from './paymentQuery'

/** Reconnections in a row without a message between them, before a paid stream gives up. */
export const maxPaidReconnects = 3

type Handler = ((this: EventSource, event: Event) => unknown) | null

export function wrapEventSource(Native: typeof EventSource, paidFetch: typeof fetch, paymentSeen: PaymentQuery, base: () => string): typeof EventSource {
  class DripEventSource extends EventTarget {
    declare static readonly CONNECTING: 0
    declare static readonly OPEN: 1
    declare static readonly CLOSED: 2
    declare readonly CONNECTING: 0
    declare readonly OPEN: 1
    declare readonly CLOSED: 2
    readonly url: string
    readonly withCredentials: boolean
    declare onopen: Handler
    declare onmessage: Handler
    declare onerror: Handler
    #native: EventSource | undefined
    #forwarded = new Set<string>()
    #paid: AbortController | undefined
    #readyState = 0
    #lastEventId = ''
    #retryMs = 3000
    #closed = false

    constructor(url: string | URL, init?: EventSourceInit) {
      super()
      this.url = new URL(url, base()).href
      this.withCredentials = Boolean(init?.withCredentials)
      const native = new Native(url, init)
      this.#native = native
      for (const type of ['open', 'message']) this.#forward(type)
      let opened = false
      native.addEventListener('open', () => (opened = true))
      native.addEventListener('error', (event) => {
        // A connection that failed before opening may be a 402: find out before the page hears of it.
        if (!opened && native.readyState === Native.CLOSED) return void this.#tryPaid(event)
        this.#readyState = native.readyState
        this.#emit(new Event('error'))
      })
    }

    get readyState() {
      return this.#native ? this.#native.readyState : this.#readyState
    }

    /** For paid streams; a native stream's events carry their own lastEventId. */
    get lastEventId() {
      return this.#lastEventId
    }

    close() {
      this.#closed = true
      this.#native?.close()
      this.#paid?.abort()
      this.#readyState = 2
    }

    override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) {
      if (this.#native && !['error'].includes(type)) this.#forward(type)
      super.addEventListener(type, listener, options)
    }

    /** Re-dispatches the native stream's events of `type` on this object, once per type. */
    #forward(type: string) {
      if (this.#forwarded.has(type) || !this.#native) return
      this.#forwarded.add(type)
      this.#native.addEventListener(type, (event) => {
        if (event instanceof MessageEvent) this.#lastEventId = event.lastEventId
        this.#emit(event instanceof MessageEvent ? new MessageEvent(type, { data: event.data, origin: event.origin, lastEventId: event.lastEventId }) : new Event(type))
      })
    }

    #emit(event: Event) {
      this.dispatchEvent(event)
    }

    /** Failed before opening: only if the browser saw a 402 the page may pay does Drip connect again, paying; else the page gets its error. */
    async #tryPaid(nativeError: Event) {
      if ((await paymentSeen(this.url).catch(() => null)) === null) {
        this.#readyState = 2
        return this.#emit(new Event(nativeError.type))
      }
      this.#native = undefined
      this.#readyState = 0
      const response = await this.#connect()
      if (!response) {
        this.#readyState = 2
        return this.#emit(new Event(nativeError.type))
      }
      void this.#run(response)
    }

    /** One paid connection: the page's fetch, which Drip pays if the site answers 402. */
    async #connect(): Promise<Response | undefined> {
      if (this.#closed) return undefined
      this.#paid = new AbortController()
      const headers: Record<string, string> = { accept: 'text/event-stream' }
      if (this.#lastEventId) headers['last-event-id'] = this.#lastEventId
      try {
        const response = await paidFetch(this.url, {
          headers,
          cache: 'no-store',
          credentials: this.withCredentials ? 'include' : 'same-origin',
          signal: this.#paid.signal,
        })
        if (response.ok && response.body && (response.headers.get('content-type') ?? '').startsWith('text/event-stream')) return response
        await response.body?.cancel().catch(() => undefined)
      } catch {
        // Aborted or unreachable: the caller reports the error.
      }
      return undefined
    }

    async #run(first: Response) {
      let response: Response | undefined = first
      let reconnects = 0
      while (response && !this.#closed) {
        this.#readyState = 1
        this.#emit(new Event('open'))
        let delivered = false
        const origin = new URL(this.url).origin
        const parser = createParser({
          onEvent: (message) => {
            if (this.#closed) return
            if (message.id !== undefined) this.#lastEventId = message.id
            delivered = true
            this.#emit(new MessageEvent(message.event ?? 'message', { data: message.data, origin, lastEventId: this.#lastEventId }))
          },
          onRetry: (ms) => void (this.#retryMs = ms),
        })
        let completed = false
        try {
          const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
          for (;;) {
            const { done, value } = await reader.read()
            if (done) break
            parser.feed(value)
          }
          completed = true
        } catch {
          // The stream broke off (the site, the network, or Drip stopped paying): reconnect below.
        }
        if (this.#closed) return
        reconnects = delivered ? 0 : reconnects + 1
        if (completed || reconnects > maxPaidReconnects) break
        this.#readyState = 0
        this.#emit(new Event('error'))
        await new Promise((resolve) => setTimeout(resolve, this.#retryMs))
        response = await this.#connect()
      }
      if (this.#closed) return
      this.#readyState = 2
      this.#emit(new Event('error'))
    }
  }
  defineEventHandlers(DripEventSource.prototype, ['open', 'message', 'error'])
  looksNative(DripEventSource, 'EventSource', { CONNECTING: 0, OPEN: 1, CLOSED: 2 })
  return DripEventSource as unknown as typeof EventSource
}
