/**
 * Runs in the page's own (MAIN) world. The page's `XMLHttpRequest`, as a
 * subclass of the browser's own: every request is the browser's own object,
 * its events the browser's own (trusted, in their order, in the page's
 * zones), unless it ends in a 402. Drip's listener, added first, then holds
 * its events back, the same request (method, URL, headers, body,
 * credentials) is handed over to Drip (`handOver.ts`), and if Drip pays, the
 * same object goes on as if the site had answered the paid response:
 * `readyState` 2 → 3 → 4, progress, `load`, `loadend`, and `status`,
 * headers and `response` for every `responseType`. If Drip does not pay,
 * the held events are let through and the page sees the 402.
 * Synchronous requests are never paid (they cannot wait for Drip).
 *
 * A GET of a URL the tab had paid (`paidUrls.ts`) goes straight to Drip, as
 * the page's `fetch` does: the browser's request is not made, the page hears
 * `loadstart` and then the paid response; if Drip does not pay, the
 * browser's request is made as without Drip (its 402 is not handed over
 * again), and if the site says 402 to Drip's paid request, it is made and
 * its 402 handed over as any.
 */
import { ownEventMethods, readsAsNative } from './nativeSubclass'
import { describe, type HandOver } from './handOver'
import { asTheBrowser } from './ownFrames'
import type { PaidUrls } from './paidUrls'
import { decode, shape } from './xhrResponse'

const eventTypes = ['readystatechange', 'loadstart', 'progress', 'abort', 'error', 'load', 'timeout', 'loadend'] as const

/** What the page asked for: replayed to Drip if the site answers 402. `url` as the page gave it, resolved against `base` (the page's URL at `open`) only then. */
type Sent = { method: string; url: string; base: string; async: boolean; headers: [string, string][]; body: XMLHttpRequestBodyInit | Document | null | undefined }

/** The paid response as this object shows it. */
type Paid = { status: number; statusText: string; headers: Headers; url: string; readyState: number; bytes: Uint8Array[]; response: unknown; text: string }

export function wrapXMLHttpRequest(Native: typeof XMLHttpRequest, handOver: HandOver, base: () => string, paidUrls?: PaidUrls): typeof XMLHttpRequest {
  const { listenFirst, replay, isReplay } = ownEventMethods(Native)
  class XMLHttpRequest extends Native {
    #sent: Sent = { method: 'GET', url: '', base: '', async: true, headers: [], body: null }
    #held: Event[] | undefined
    #paid: Paid | undefined
    #controller: AbortController | undefined
    /** The browser's request after Drip's direct attempt: its `loadstart` was already heard; `handOver`: whether a 402 goes to Drip. */
    #after: { loadstart: boolean; handOver: boolean } | undefined

    /** Whether `value` is one of Drip's objects of this class (`readsAsNative` gives any other the browser's methods). */
    static owns(value: unknown): boolean {
      return typeof value === 'object' && value !== null && #sent in value
    }

    constructor() {
      super()
      // Added before the page can add any, and capturing: it runs first for every event of this object.
      for (const type of eventTypes) listenFirst(this, type, (event) => this.#gate(event))
    }

    override get readyState() {
      return this.#paid ? this.#paid.readyState : this.#held ? Math.min(super.readyState, 1) : super.readyState
    }
    override get status() {
      return this.#paid ? this.#paid.status : this.#held ? 0 : super.status
    }
    override get statusText() {
      return this.#paid ? this.#paid.statusText : this.#held ? '' : super.statusText
    }
    override get responseURL() {
      return this.#paid ? this.#paid.url : this.#held ? '' : super.responseURL
    }
    override get response() {
      return this.#paid ? this.#paid.response : this.#held ? null : super.response
    }
    override get responseText() {
      if (this.#paid) return this.#paid.text
      return this.#held ? '' : asTheBrowser(() => super.responseText)
    }
    override get responseXML() {
      if (this.#paid) return this.#paid.response instanceof Document ? this.#paid.response : null
      return this.#held ? null : asTheBrowser(() => super.responseXML)
    }

    override open(method: string, url: string | URL, async = true, user?: string | null, password?: string | null) {
      // Set before the browser's open, whose readystatechange may already add headers. Nothing is parsed here: every
      // request of every page passes, and only a 402 needs the URL resolved (`#url`).
      this.#sent = { method: method.toUpperCase(), url: String(url), base: base(), async, headers: [], body: null }
      this.#held = undefined
      this.#paid = undefined
      this.#after = undefined
      // Called with exactly the page's arguments: `open(method, url)` is not `open(method, url, true, undefined, undefined)`.
      asTheBrowser(() => super.open(...(arguments as unknown as [string, string, boolean])))
    }
    override setRequestHeader(name: string, value: string) {
      asTheBrowser(() => super.setRequestHeader(name, value))
      this.#sent.headers.push([name, value])
    }
    override send(body?: Document | XMLHttpRequestBodyInit | null) {
      this.#sent.body = body
      const challenge = this.#sent.async && (body ?? null) === null && super.readyState === 1 ? paidUrls?.challengeFor(this.#url(), this.#sent.method) : undefined
      if (!challenge) return asTheBrowser(() => super.send(body))
      // Sent once only, as the browser's own (its send would throw: its request was never made).
      if (this.#held || this.#paid) throw new DOMException("Failed to execute 'send' on 'XMLHttpRequest': The object's state must be OPENED.", 'InvalidStateError')
      // Straight to Drip: the browser's own send would have said loadstart at once.
      this.#held = []
      this.#emit(new ProgressEvent('loadstart'))
      void this.#pay(challenge)
    }
    override abort() {
      if (!this.#paid && !this.#held) return super.abort()
      // Drip is paying or delivering: stop it (the hand-over's port closes, no voucher follows) and end as XHR does.
      this.#controller?.abort()
      this.#held = undefined
      const aborted: Paid = { status: 0, statusText: '', headers: new Headers(), url: '', readyState: 4, bytes: [], response: null, text: '' }
      this.#paid = aborted
      this.#emit(new Event('readystatechange'))
      this.#emit(new ProgressEvent('abort'))
      this.#emit(new ProgressEvent('loadend'))
      aborted.readyState = 0
    }
    override getResponseHeader(name: string) {
      if (this.#paid) return this.#paid.readyState >= 2 ? this.#paid.headers.get(name) : null
      return this.#held ? null : super.getResponseHeader(name)
    }
    override getAllResponseHeaders() {
      if (this.#paid) return this.#paid.readyState >= 2 ? [...this.#paid.headers].map(([name, value]) => `${name}: ${value}\r\n`).join('') : ''
      return this.#held ? '' : super.getAllResponseHeaders()
    }

    #emit(event: Event) {
      replay(this, event)
    }

    /** The URL the page opened, resolved as the browser did at `open` (one it could not parse, the browser refused then). */
    #url(): string {
      const { url, base } = this.#sent
      return URL.canParse(url, base) ? new URL(url, base).href : url
    }

    #copy(event: Event): Event {
      return event instanceof ProgressEvent ? new ProgressEvent(event.type, { lengthComputable: event.lengthComputable, loaded: event.loaded, total: event.total }) : new Event(event.type)
    }

    /** Drip's listener, first for every event: the browser's own events go on untouched unless the site answered 402. */
    #gate(event: Event) {
      if (isReplay(event)) return
      // The browser's late events of a request Drip took over (or the page aborted while Drip paid): the page hears Drip's.
      if (this.#paid) return event.stopImmediatePropagation()
      // The browser's request after Drip's direct attempt: the page already heard its loadstart.
      if (event.type === 'loadstart' && this.#after?.loadstart) {
        this.#after.loadstart = false
        return event.stopImmediatePropagation()
      }
      // A 402 on an asynchronous request: hold everything from its headers on, and ask Drip once it is complete.
      if (!this.#held && this.#sent.async && this.#after?.handOver !== false && super.readyState >= 2 && super.status === 402) this.#held = []
      if (!this.#held) return
      event.stopImmediatePropagation()
      this.#held.push(this.#copy(event))
      if (event.type === 'loadend') void this.#pay()
    }

    /** Hands the request over: after the site's 402 (held), or straight away with `kept`, the challenge the tab paid this URL on. */
    async #pay(kept?: string) {
      const held = this.#held!
      this.#controller = new AbortController()
      let paid: Response | undefined
      let challenge: string | null = null
      try {
        const body = this.#sent.body instanceof Document ? new XMLSerializer().serializeToString(this.#sent.body) : this.#sent.body
        const request = new Request(this.#url(), {
          method: this.#sent.method,
          headers: this.#sent.headers,
          body: this.#sent.method === 'GET' || this.#sent.method === 'HEAD' ? null : (body ?? null),
          credentials: this.withCredentials ? 'include' : 'same-origin',
        })
        const described = await describe(request, kept ? request.url : super.responseURL || this.#url(), kept ?? super.getResponseHeader('www-authenticate'))
        challenge = described.wwwAuthenticate
        paid = await handOver(described, this.#controller.signal)
        // The response is read by #deliver with this same signal, so abort() stops it too.
      } catch (error) {
        // The answer is one the browser would not have let the page read (CORS): a network error, as without Drip.
        if (error instanceof TypeError && this.#held === held) {
          this.#held = undefined
          return this.#networkError((this.#paid = { status: 0, statusText: '', headers: new Headers(), url: '', readyState: 4, bytes: [], response: null, text: '' }))
        }
        paid = undefined
      }
      if (this.#held !== held) return
      if (kept && (!paid || paid.status === 402)) {
        // Not paid straight away: the browser's request, as without Drip; a 402 to Drip's paid request (the site's terms
        // changed) is handed over again on the site's current challenge, a refusal is not.
        paidUrls?.forget(this.#url())
        await paid?.body?.cancel().catch(() => undefined)
        this.#held = undefined
        this.#after = { loadstart: true, handOver: paid !== undefined }
        return asTheBrowser(() => super.send(null))
      }
      if (!paid) {
        this.#held = undefined
        for (const event of held) this.#emit(event)
        return
      }
      if (paid.ok) paidUrls?.remember(this.#url(), this.#sent.method, challenge)
      await this.#deliver(paid)
    }

    async #deliver(response: Response) {
      const state: Paid = { status: response.status, statusText: response.statusText, headers: response.headers, url: response.url, readyState: 2, bytes: [], response: null, text: '' }
      this.#held = undefined
      this.#paid = state
      this.#emit(new Event('readystatechange'))
      const total = Number(response.headers.get('content-length') ?? 0)
      let loaded = 0
      try {
        const reader = response.body?.getReader()
        for (;;) {
          const chunk = reader ? await reader.read() : { done: true as const, value: undefined }
          if (chunk.done) break
          state.bytes.push(chunk.value)
          loaded += chunk.value.byteLength
          if (this.#paid !== state) return
          state.readyState = 3
          if (this.responseType === '' || this.responseType === 'text') state.text = decode(state.bytes)
          this.#emit(new Event('readystatechange'))
          this.#emit(new ProgressEvent('progress', { lengthComputable: total > 0, loaded, total }))
        }
      } catch {
        if (this.#paid !== state) return
        return this.#networkError(state)
      }
      if (this.#paid !== state) return
      state.text = decode(state.bytes)
      state.response = shape(this.responseType, state.bytes, state.text, response.headers.get('content-type') ?? '')
      state.readyState = 4
      this.#emit(new Event('readystatechange'))
      this.#emit(new ProgressEvent('load', { lengthComputable: total > 0, loaded, total }))
      this.#emit(new ProgressEvent('loadend', { lengthComputable: total > 0, loaded, total }))
    }

    #networkError(state: Paid) {
      state.readyState = 4
      state.status = 0
      this.#emit(new Event('readystatechange'))
      this.#emit(new ProgressEvent('error'))
      this.#emit(new ProgressEvent('loadend'))
    }
  }
  return readsAsNative(XMLHttpRequest, Native, 'XMLHttpRequest')
}
