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
 */
import { ownEventMethods, readsAsNative } from './nativeSubclass'
import { asTheBrowser, withoutOwnFrames } from './ownFrames'
import { assertCloseCode, PaidSocketLink } from './paidSocketLink'
import { probedSocketClass, type SocketPaymentChecks } from './probedSocket'
import type { SocketHandOver } from './socketHandOver'
import { httpUrlOf } from '@/lib/protocol/socketPort'

export type { SocketPaymentChecks }

export function wrapWebSocket(Native: typeof WebSocket, checks: SocketPaymentChecks, handOver: SocketHandOver, base: () => string): typeof WebSocket {
  const { site, paymentSeen } = checks
  const { listenFirst, replay, isReplay } = ownEventMethods(Native)
  const Probed = probedSocketClass(Native, checks, handOver)
  class WebSocket extends Native {
    #link: PaidSocketLink | undefined
    #protocols: string[] = []
    /** A failed same-origin handshake's error and close, held while Drip is asked whether it was a 402. */
    #held: Event[] | undefined
    #closedEarly = false

    constructor(url: string | URL, protocols?: string | string[]) {
      const sameOrigin = isSameOrigin(url, base)
      if (sameOrigin && site.pays !== false) {
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
      let opened = false
      listenFirst(this, 'open', () => (opened = true))
      const hold = (event: Event) => {
        if (isReplay(event) || opened || this.#link) return
        event.stopImmediatePropagation()
        ;(this.#held ??= []).push(event instanceof CloseEvent ? new CloseEvent('close', { code: event.code, reason: event.reason, wasClean: event.wasClean }) : new Event(event.type))
        if (event.type === 'close') void this.#afterFailedHandshake()
      }
      listenFirst(this, 'error', hold)
      listenFirst(this, 'close', hold)
    }

    override get readyState() {
      return this.#link ? this.#link.readyState : super.readyState
    }
    override get protocol() {
      return this.#link ? this.#link.protocol : super.protocol
    }
    override get extensions() {
      return this.#link ? '' : super.extensions
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
      return asTheBrowser(() => (this.#link ? this.#link.send(data) : super.send(data)))
    }
    override close(code?: number, reason?: string) {
      if (!this.#link && !this.#held) return asTheBrowser(() => super.close(...(arguments as unknown as [])))
      asTheBrowser(() => assertCloseCode(code))
      if (this.#held) return void (this.#closedEarly = true)
      this.#link?.close(code, reason)
    }

    #emit(event: Event) {
      replay(this, event)
    }

    /** The handshake failed: if the browser saw a 402 with a payment challenge, Drip takes the socket over; else the page gets the failure. */
    async #afterFailedHandshake() {
      const challenge = await paymentSeen(this.url).catch(() => null)
      if (challenge === null || this.#closedEarly) return this.#releaseHeld()
      this.#link = new PaidSocketLink({ url: this.url, protocols: this.#protocols, wwwAuthenticate: challenge, binaryType: super.binaryType }, handOver, {
        emit: (event) => {
          this.#held = undefined
          if (event.type === 'open' && this.#closedEarly) return this.#link?.close()
          this.#emit(event)
        },
        unpaid: () => {
          this.#link = undefined
          this.#releaseHeld()
        },
      })
    }

    /** The browser's own failure, as it reported it: error, then close. */
    #releaseHeld() {
      const held = this.#held ?? []
      this.#held = undefined
      for (const event of held) this.#emit(event)
    }
  }
  Object.setPrototypeOf(Probed.prototype, WebSocket.prototype)
  Object.defineProperty(Probed.prototype, 'constructor', { value: WebSocket, configurable: true, writable: true })
  return readsAsNative(WebSocket, Native, 'WebSocket')
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
