/**
 * Runs in the page's own (MAIN) world. The page's `EventSource`, as a
 * subclass of the browser's own: every connection is the browser's own
 * object with its own events (trusted, in the page's zones). Only when it
 * fails before opening does Drip's listener, added first, hold the error
 * and ask Drip whether the browser saw it answered 402 (`paymentQuery.ts`:
 * nothing is fetched to find out); then it connects again with the page's
 * wrapped `fetch`, and if Drip pays, the same object carries on with the
 * paid stream (`open`, `message`, named events, `readyState`, `close()`),
 * and the page never sees the 402.
 *
 * A paid stream the site completed (it sent its final payment receipt) is
 * finished: the wrapper closes instead of reconnecting, so a page never pays
 * twice for one read because EventSource reconnects by default. A paid
 * stream that broke off reconnects with `Last-Event-ID`, as the native one.
 */
import { ownEventMethods, readsAsNative } from './nativeSubclass'
import { withoutOwnFrames } from './ownFrames'
import { createParser } from 'eventsource-parser'
import type { PaymentQuery } from './paymentQuery'

/** Reconnections in a row without a message between them, before a paid stream gives up. */
export const maxPaidReconnects = 3

export function wrapEventSource(Native: typeof EventSource, paidFetch: typeof fetch, paymentSeen: PaymentQuery): typeof EventSource {
  const { listenFirst, replay, isReplay } = ownEventMethods(Native)
  class EventSource extends Native {
    /** The paid stream's state; undefined while the browser's own connection is the stream. */
    #paidState: number | undefined
    #paid: AbortController | undefined
    #lastEventId = ''
    #retryMs = 3000
    #closed = false
    #opened = false

    /** Whether `value` is one of Drip's objects of this class (`readsAsNative` gives any other the browser's methods). */
    static owns(value: unknown): boolean {
      return typeof value === 'object' && value !== null && #closed in value
    }

    constructor(url: string | URL, init?: EventSourceInit) {
      // The browser checks the URL and throws as it does, without Drip's frames.
      try {
        super(url, init)
      } catch (error) {
        throw withoutOwnFrames(error)
      }
      listenFirst(this, 'open', () => (this.#opened = true))
      listenFirst(this, 'error', (event) => this.#gate(event))
    }

    override get readyState() {
      return this.#paidState ?? super.readyState
    }

    override close() {
      this.#closed = true
      super.close()
      this.#paid?.abort()
      if (this.#paidState !== undefined) this.#paidState = 2
    }

    /** A connection that failed before opening may be a 402: find out before the page hears of it. */
    #gate(event: Event) {
      if (isReplay(event) || this.#opened || super.readyState !== 2) return
      event.stopImmediatePropagation()
      void this.#tryPaid()
    }

    #emit(event: Event) {
      replay(this, event)
    }

    /** Only if the browser saw a 402 the page may pay does Drip connect again, paying; else the page gets its error. */
    async #tryPaid() {
      const challenge = await paymentSeen(this.url).catch(() => null)
      // Closed by the page meanwhile: a closed EventSource fires nothing more.
      if (this.#closed) return
      if (challenge === null) return this.#emit(new Event('error'))
      this.#paidState = 0
      const response = await this.#connect()
      if (!response) {
        this.#paidState = 2
        return this.#emit(new Event('error'))
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
        this.#paidState = 1
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
        this.#paidState = 0
        this.#emit(new Event('error'))
        await new Promise((resolve) => setTimeout(resolve, this.#retryMs))
        response = await this.#connect()
      }
      if (this.#closed) return
      this.#paidState = 2
      this.#emit(new Event('error'))
    }
  }
  return readsAsNative(EventSource, Native, 'EventSource')
}
