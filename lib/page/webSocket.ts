/**
 * Runs in the page's own (MAIN) world. The page's `WebSocket`, as a
 * subclass of the browser's own.
 *
 * A socket to another origin, and every socket on a site that does not pay,
 * is the browser's own object, opened at once with the page's arguments: its
 * events are the browser's own (trusted, in the page's zones), its
 * extensions, close codes and exceptions too. Only on the page's own origin
 * does Drip's listener, added first, hold a handshake that fails: Drip is
 * asked whether the browser saw the upgrade answered 402 (`paymentQuery.ts`,
 * a site that refuses unpaid upgrades). If so Drip takes the socket over
 * (`paidSocketLink.ts`) and this object shows the paid socket; else the page
 * gets the browser's error and close.
 *
 * On a site that pays (approved or waiting, `siteStatus.ts`) a same-origin
 * socket is probed before it opens (`probedSocket.ts`): the constructor
 * returns that object instead, still an instance of the page's `WebSocket`.
 *
 * Before Drip told the page its site's status (about 15 ms after the page
 * starts, tens of ms when Chrome had ended the worker), a site that did not
 * pay when the page began to load does not pay (`siteStatus.ts`): its
 * sockets are the browser's own, untouched. On a site that paid then, a
 * same-origin socket is the browser's own, opened at once, and only what the
 * browser reports waits for that answer. Not paying: the page gets it then
 * (the browser's own events, if none came before). Paying: the site's http
 * twin is probed as `probedSocket.ts` does, and on a 402 Drip carries the
 * socket and the browser's one is closed.
 */
import { ownEventMethods, readsAsNative } from './nativeSubclass'
import { asTheBrowser, withoutOwnFrames } from './ownFrames'
import { assertCloseCode, CLOSING, CONNECTING, OPEN, PaidSocketLink } from './paidSocketLink'
import { probeForChallenge, probedSocketClass, type SocketPaymentChecks } from './probedSocket'
import type { SocketHandOver } from './socketHandOver'
import { httpUrlOf } from '@/lib/protocol/socketPort'

export type { SocketPaymentChecks }

export function wrapWebSocket(Native: typeof WebSocket, checks: SocketPaymentChecks, handOver: SocketHandOver, base: () => string): typeof WebSocket {
  const { probe, site, paymentSeen } = checks
  const { listenFirst, replay, isReplay } = ownEventMethods(Native)
  const Probed = probedSocketClass(Native, checks, handOver)
  class WebSocket extends Native {
    #link: PaidSocketLink | undefined
    #protocols: string[] = []
    /** The browser's own socket opened (its `open` event reached Drip's listener, shown to the page or not). */
    #opened = false
    /** Made before Drip told the page whether its site pays: the browser's events are held until Drip has decided. */
    #deciding = false
    /** Events the page has not seen yet: while Drip decides, or a failed handshake's error and close while Drip is asked whether it was a 402. */
    #held: Event[] | undefined
    #closedEarly = false
    /** Drip carries the socket: the browser's own one was closed and its events are not the page's. */
    #nativeDropped = false
    /** The page closed the browser's socket itself: a handshake it ended is not a site's 402, and is not held. */
    #closedByPage = false

    /** Whether `value` is one of Drip's objects of this class (`readsAsNative` gives any other the browser's methods). */
    static owns(value: unknown): boolean {
      return typeof value === 'object' && value !== null && #protocols in value
    }

    constructor(url: string | URL, protocols?: string | string[]) {
      const sameOrigin = isSameOrigin(url, base)
      if (sameOrigin && site.pays === true) {
        // A derived constructor may return another object: this one is still an instance of the page's WebSocket.
        return asTheBrowser(() => new Probed(checkedUrl(url, base), checkedProtocols(protocols))) as unknown as WebSocket
      }
      // Exactly the page's arguments: the browser checks them and throws as it does, without Drip's frames.
      try {
        super(...(arguments as unknown as [string]))
      } catch (error) {
        throw withoutOwnFrames(error)
      }
      if (!sameOrigin) return
      this.#protocols = checkedProtocols(protocols)
      listenFirst(this, 'open', () => (this.#opened = true))
      const hold = (event: Event) => {
        if (isReplay(event)) return
        if (this.#nativeDropped) return event.stopImmediatePropagation()
        const failedHandshake = !this.#opened && !this.#closedByPage && (event.type === 'error' || event.type === 'close')
        if (!this.#deciding && !this.#held && !failedHandshake) return
        event.stopImmediatePropagation()
        ;(this.#held ??= []).push(copyOf(event))
        if (event.type === 'close' && failedHandshake && !this.#deciding) void this.#afterFailedHandshake()
      }
      for (const type of ['open', 'message', 'error', 'close']) listenFirst(this, type, hold)
      if (site.pays === undefined) {
        // A site that paid at load: opened at once, as the browser would; only what it reports waits for Drip's answer.
        this.#deciding = true
        void site.paying().then((pays) => this.#decide(pays))
      }
    }

    override get readyState() {
      if (this.#link) return this.#link.readyState
      if (this.#held) return this.#closedEarly ? CLOSING : CONNECTING
      return super.readyState
    }
    // Until the page has seen the socket open, the browser shows no subprotocol and no extensions.
    override get protocol() {
      return this.#link ? this.#link.protocol : this.#held ? '' : super.protocol
    }
    override get extensions() {
      return this.#link || this.#held ? '' : super.extensions
    }
    override get bufferedAmount() {
      return this.#link ? 0 : super.bufferedAmount
    }
    override get binaryType(): BinaryType {
      return super.binaryType
    }
    override set binaryType(value: BinaryType) {
      super.binaryType = value
      if (this.#link) this.#link.binaryType = super.binaryType
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView) {
      return asTheBrowser(() => {
        if (this.#link) return this.#link.send(data)
        // The page has not seen the socket open: as the browser, it cannot send yet.
        if (this.#held) throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError')
        return super.send(data)
      })
    }
    override close(code?: number, reason?: string) {
      if (!this.#link && !this.#held) {
        // Nothing held: the browser closes it and reports as it does; there is nothing left to decide.
        this.#deciding = false
        this.#closedByPage = true
        return asTheBrowser(() => super.close(...(arguments as unknown as [])))
      }
      asTheBrowser(() => assertCloseCode(code))
      if (this.#held) return void (this.#closedEarly = true)
      this.#link?.close(code, reason)
    }

    #emit(event: Event) {
      replay(this, event)
    }

    /** Drip told the page whether its site pays: a socket of a site that pays is probed as `probedSocket.ts` does; any other shows what the browser held. */
    async #decide(pays: boolean) {
      if (!this.#deciding) return
      const challenge = pays && !this.#closedEarly && !this.#heldFailure() ? await probeForChallenge(probe, this.url) : null
      if (!this.#deciding) return
      if (challenge === null || this.#closedEarly) {
        this.#deciding = false
        if (this.#heldFailure()) return void this.#afterFailedHandshake()
        return this.#closedEarly ? this.#failConnecting() : this.#releaseHeld()
      }
      this.#payFor(challenge, () => {
        this.#deciding = false
        this.#releaseHeld()
      })
    }

    /** The handshake failed: if the browser saw a 402 with a payment challenge, Drip takes the socket over; else the page gets the failure. */
    async #afterFailedHandshake() {
      const challenge = await paymentSeen(this.url).catch(() => null)
      if (challenge === null || this.#closedEarly) return this.#releaseHeld()
      this.#payFor(challenge, () => this.#releaseHeld())
    }

    /** Drip carries the socket from its first report on; `unpaid` runs if Drip does not pay (pending, locked, refused). */
    #payFor(challenge: string, unpaid: () => void) {
      this.#link = new PaidSocketLink({ url: this.url, protocols: this.#protocols, wwwAuthenticate: challenge, binaryType: super.binaryType }, handOver, {
        emit: (event) => {
          if (this.#held) this.#dropNative()
          if (event.type === 'open' && this.#closedEarly) return this.#link?.close()
          this.#emit(event)
        },
        unpaid: () => {
          this.#link = undefined
          unpaid()
        },
      })
    }

    /** What the browser held goes: its socket, if still open, is closed and nothing it reports reaches the page. */
    #dropNative() {
      this.#held = undefined
      this.#deciding = false
      this.#nativeDropped = true
      if (super.readyState === CONNECTING || super.readyState === OPEN) super.close()
    }

    /** The page closed a socket it never saw open: it fails as a connecting browser socket does (error, then close 1006). */
    #failConnecting() {
      this.#dropNative()
      this.#emit(new Event('error'))
      this.#emit(new CloseEvent('close', { code: 1006, reason: '', wasClean: false }))
    }

    /** Whether the browser reported a failed handshake the page has not seen. */
    #heldFailure() {
      return !this.#opened && (this.#held ?? []).some((event) => event.type === 'close')
    }

    /** What the browser reported, in its order (the browser's failure: error, then close). */
    #releaseHeld() {
      const held = this.#held ?? []
      this.#held = undefined
      for (const event of held) this.#emit(event)
    }
  }
  const pageWebSocket = readsAsNative(WebSocket, Native, 'WebSocket')
  Object.setPrototypeOf(Probed.prototype, pageWebSocket.prototype)
  Object.defineProperty(Probed.prototype, 'constructor', { value: pageWebSocket, configurable: true, writable: true })
  return pageWebSocket
}

/** An event the browser dispatched, as a copy the page gets later. */
function copyOf(event: Event): Event {
  if (event instanceof CloseEvent) return new CloseEvent('close', { code: event.code, reason: event.reason, wasClean: event.wasClean })
  if (event instanceof MessageEvent) return new MessageEvent('message', { data: event.data, origin: event.origin, lastEventId: event.lastEventId })
  return new Event(event.type)
}

/** Whether the socket's http(s) twin is the page's own origin (an unparsable URL is not: the browser throws for it). */
function isSameOrigin(url: string | URL, base: () => string): boolean {
  try {
    return httpUrlOf(checkedUrl(url, base)).origin === new URL(base()).origin
  } catch {
    return false
  }
}

/** The socket's URL as the browser resolves and checks it: http(s) becomes ws(s); another scheme or a fragment is a `SyntaxError`. */
function checkedUrl(url: string | URL, base: () => string): URL {
  const resolved = new URL(url, base())
  if (resolved.protocol === 'http:') resolved.protocol = 'ws:'
  if (resolved.protocol === 'https:') resolved.protocol = 'wss:'
  if (resolved.protocol !== 'ws:' && resolved.protocol !== 'wss:') throw new DOMException(`The URL's scheme must be 'ws' or 'wss'; '${resolved.protocol}' is not allowed.`, 'SyntaxError')
  if (resolved.hash) throw new DOMException('The URL contains a fragment identifier.', 'SyntaxError')
  return resolved
}

/** Subprotocols as the browser checks them: tokens (RFC 7230), no duplicates, else `SyntaxError`. */
function checkedProtocols(protocols: string | string[] | undefined): string[] {
  const list = protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : [...protocols]
  const seen = new Set<string>()
  for (const protocol of list) {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(protocol)) throw new DOMException(`The subprotocol '${protocol}' is invalid.`, 'SyntaxError')
    if (seen.has(protocol)) throw new DOMException(`The subprotocol '${protocol}' is duplicated.`, 'SyntaxError')
    seen.add(protocol)
  }
  return list
}
