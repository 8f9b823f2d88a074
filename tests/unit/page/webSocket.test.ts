// @vitest-environment happy-dom
/**
 * The page-world WebSocket wrapper with a fake native socket, a fake
 * "did the browser see a 402?" answer and a hand-over whose other end the
 * test plays: every socket is the native one, opened at once; only a
 * same-origin handshake that fails is held while Drip is asked; a 402
 * hands the socket over to Drip, whose reports drive the page's events;
 * anything else gives the page the browser's own failure. A same-origin
 * socket made before Drip told the page its site's status is the native
 * one too, its events held until that answer.
 */
import { describe, expect, test, vi } from 'vitest'
import type { PaidSocket, SocketCommand, SocketReport } from '@/lib/protocol/socketPort'
import { wrapWebSocket } from '@/lib/page/webSocket'

const page = 'http://shop.test/ticker'

/** What the fake browser's handshake does: open, fail with a 402 (as mppx answers an unpaid upgrade), or fail otherwise. */
type Handshake = 'opens' | 402 | 'fails'

/** The browser's WebSocket as far as the wrapper uses it: its state is in accessors on the prototype, as the browser's. */
class FakeNative extends EventTarget {
  static made: FakeNative[] = []
  static handshake: Handshake = 'opens'
  readonly url: string
  readonly protocols: string[]
  /** What the fake browser negotiated with the server. */
  negotiated = ''
  sent: unknown[] = []
  /** The events the fake browser dispatched, and how often `close()` reached it. */
  reported: Event[] = []
  closes = 0
  #readyState = 0
  #binaryType: BinaryType = 'blob'
  constructor(url: string | URL, protocols?: string | string[]) {
    super()
    const resolved = new URL(url, page)
    resolved.protocol = resolved.protocol.replace(/^http/, 'ws')
    if (!/^wss?:$/.test(resolved.protocol) || resolved.hash) throw new DOMException('Invalid URL', 'SyntaxError')
    this.url = resolved.href
    this.protocols = protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : protocols
    FakeNative.made.push(this)
    const handshake = FakeNative.handshake
    setTimeout(() => {
      if (this.#readyState === 3) return
      if (handshake === 'opens') {
        this.#readyState = 1
        return this.report(new Event('open'))
      }
      this.#readyState = 3
      this.report(new Event('error'))
      this.report(new CloseEvent('close', { code: 1006, reason: '', wasClean: false }))
    }, 0)
  }
  report(event: Event) {
    this.reported.push(event)
    this.dispatchEvent(event)
  }
  get readyState() {
    return this.#readyState
  }
  get protocol() {
    return ''
  }
  get extensions() {
    return this.negotiated
  }
  get bufferedAmount() {
    return 0
  }
  get binaryType() {
    return this.#binaryType
  }
  set binaryType(value: BinaryType) {
    this.#binaryType = value
  }
  send(data: unknown) {
    if (this.#readyState === 0) throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError')
    this.sent.push(data)
  }
  close() {
    this.closes++
    this.#readyState = 3
  }
}
/** The fake browser's own state of a socket, under the wrapper's accessors. */
const nativeState = (socket: FakeNative) => Object.getOwnPropertyDescriptor(FakeNative.prototype, 'readyState')!.get!.call(socket) as number
// The browser's constants and tag live on its prototype and constructor.
for (const [name, value] of Object.entries({ CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 })) {
  Object.defineProperty(FakeNative, name, { value, enumerable: true })
  Object.defineProperty(FakeNative.prototype, name, { value, enumerable: true })
}
Object.defineProperty(FakeNative.prototype, Symbol.toStringTag, { value: 'WebSocket', configurable: true })

/**
 * `pays`: the site's status as the content script told it (approved or waiting: its sockets are probed);
 * `probeStatus`: what the site answers the probe of the http twin.
 */
function setUp(handshake: Handshake, { pays = false as boolean | 'not told yet', probeStatus = 426 } = {}) {
  FakeNative.made = []
  FakeNative.handshake = handshake
  const probe = vi.fn(async () => new Response(null, { status: probeStatus, headers: probeStatus === 402 ? { 'www-authenticate': 'Payment id="p", method="tempo", intent="session"' } : {} }))
  let told: (value: boolean) => void = () => {}
  const first = new Promise<boolean>((resolve) => (told = resolve))
  const status = { pays: pays === 'not told yet' ? undefined : pays }
  const site = { get pays() { return status.pays }, paying: () => (status.pays === undefined ? first : Promise.resolve(status.pays)) }
  const tell = (value: boolean) => {
    status.pays = value
    told(value)
  }
  const paymentSeen = vi.fn(async (_url: string): Promise<string | null> => (handshake === 402 ? 'Payment id="x", method="tempo", intent="session"' : null))
  const handed: { socket: PaidSocket; drip: MessagePort; commands: SocketCommand[] }[] = []
  const handOver = (socket: PaidSocket) => {
    const channel = new MessageChannel()
    const entry = { socket, drip: channel.port2, commands: [] as SocketCommand[] }
    channel.port2.onmessage = (event) => void entry.commands.push(event.data)
    handed.push(entry)
    return channel.port1
  }
  const WebSocketClass = wrapWebSocket(FakeNative as unknown as typeof WebSocket, { probe: probe as unknown as typeof fetch, site, paymentSeen }, handOver, () => page)
  return { WebSocketClass, paymentSeen, probe, handed, tell }
}

/** Messages cross MessagePorts as tasks: wait for the state they lead to, never for a fixed time. */
const eventually = (assertion: () => void) => vi.waitFor(assertion, { timeout: 5_000, interval: 5 })
/** The wrapper handed the socket to Drip (after the browser's 402 was confirmed). */
const handedOver = (handed: unknown[]) => eventually(() => expect(handed).toHaveLength(1))
const report = (port: MessagePort, value: SocketReport) => port.postMessage(value)

/** Records the page's view of a socket's events. */
function watch(socket: WebSocket) {
  const events: string[] = []
  socket.addEventListener('open', () => events.push('open'))
  socket.addEventListener('message', (event) => events.push(`message ${(event as MessageEvent).data}`))
  socket.addEventListener('error', () => events.push('error'))
  socket.addEventListener('close', (event) => events.push(`close ${(event as CloseEvent).code} ${(event as CloseEvent).wasClean}`))
  return events
}

describe('the page’s WebSocket, wrapped', () => {
  test('another origin: the native socket at once; its failure reaches the page at once, Drip is not asked', async () => {
    const { WebSocketClass, paymentSeen } = setUp('fails')
    const socket = new WebSocketClass('wss://chat.elsewhere.test/live', 'v1')
    const events = watch(socket)
    expect(FakeNative.made.map((s) => [s.url, s.protocols])).toEqual([['wss://chat.elsewhere.test/live', ['v1']]])
    await eventually(() => expect(events).toEqual(['error', 'close 1006 false']))
    expect(paymentSeen).not.toHaveBeenCalled()
    expect(socket.url).toBe('wss://chat.elsewhere.test/live')
  })

  test('a site that does not pay, same origin, the handshake opens: the native socket and its events, nothing asked, nothing else sent', async () => {
    const { WebSocketClass, paymentSeen, probe, handed } = setUp('opens')
    const socket = new WebSocketClass('/api/live?x=1')
    const events = watch(socket)
    await eventually(() => expect(events).toEqual(['open']))
    expect(FakeNative.made.map((s) => s.url)).toEqual(['ws://shop.test/api/live?x=1'])
    expect(paymentSeen).not.toHaveBeenCalled()
    expect(probe).not.toHaveBeenCalled()
    expect(handed).toHaveLength(0)
  })

  test('a site the reader approved, same origin, the site asks nothing: one GET probe of the http twin, then the native socket', async () => {
    const { WebSocketClass, probe, handed } = setUp('opens', { pays: true, probeStatus: 426 })
    new WebSocketClass('/api/live?x=1')
    await eventually(() => expect(FakeNative.made).toHaveLength(1))
    expect(probe).toHaveBeenCalledWith('http://shop.test/api/live?x=1', expect.objectContaining({ credentials: 'same-origin' }))
    expect(FakeNative.made.map((s) => s.url)).toEqual(['ws://shop.test/api/live?x=1'])
    expect(handed).toHaveLength(0)
  })

  test('an approved site whose probe answers 402 (mppx’s sessions accept the upgrade): handed over with that challenge, no native socket', async () => {
    const { WebSocketClass, handed } = setUp('opens', { pays: true, probeStatus: 402 })
    new WebSocketClass('/api/sessions/ticker')
    await handedOver(handed)
    expect(handed[0]!.socket.wwwAuthenticate).toContain('id="p"')
    expect(FakeNative.made).toHaveLength(0)
  })

  test('an approved site Drip does not pay after the probe (locked): the page gets the browser’s own socket', async () => {
    const { WebSocketClass, handed } = setUp('opens', { pays: true, probeStatus: 402 })
    const events = watch(new WebSocketClass('/api/sessions/ticker'))
    await handedOver(handed)
    report(handed[0]!.drip, { type: 'unpaid', outcome: 'locked', message: 'Unlock Drip.' })
    await eventually(() => expect(events).toEqual(['open']))
    expect(FakeNative.made.map((s) => s.url)).toEqual(['ws://shop.test/api/sessions/ticker'])
  })

  test('a socket made before Drip told the page its site’s status opens at once; told “not paying” before it opens, the page gets the browser’s own events, no probe', async () => {
    const { WebSocketClass, probe, tell } = setUp('opens', { pays: 'not told yet' })
    const socket = new WebSocketClass('/api/live')
    const seen: Event[] = []
    socket.addEventListener('open', (event) => seen.push(event))
    expect(FakeNative.made).toEqual([socket])
    tell(false)
    await eventually(() => expect(seen).toHaveLength(1))
    expect(seen[0]).toBe(FakeNative.made[0]!.reported[0])
    expect(probe).not.toHaveBeenCalled()
  })

  test('it opens before Drip answers: the page sees it connecting (send throws) until Drip says the site does not pay, then open', async () => {
    const { WebSocketClass, probe, tell } = setUp('opens', { pays: 'not told yet' })
    const socket = new WebSocketClass('/api/live')
    const events = watch(socket)
    await eventually(() => expect(nativeState(FakeNative.made[0]!)).toBe(1))
    FakeNative.made[0]!.negotiated = 'permessage-deflate'
    expect(events).toEqual([])
    expect([socket.readyState, socket.extensions]).toEqual([0, ''])
    expect(() => socket.send('too early')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }))
    tell(false)
    await eventually(() => expect(events).toEqual(['open']))
    expect([socket.readyState, socket.extensions]).toEqual([1, 'permessage-deflate'])
    socket.send('now')
    expect(FakeNative.made[0]!.sent).toEqual(['now'])
    expect(probe).not.toHaveBeenCalled()
  })

  test('Drip answers that the site pays and the probe finds a 402: Drip carries the socket; the browser’s is closed at Drip’s first report and its open never reaches the page', async () => {
    const { WebSocketClass, probe, handed, tell } = setUp('opens', { pays: 'not told yet', probeStatus: 402 })
    const socket = new WebSocketClass('/api/sessions/ticker')
    const events = watch(socket)
    await eventually(() => expect(nativeState(FakeNative.made[0]!)).toBe(1))
    tell(true)
    await handedOver(handed)
    expect(probe).toHaveBeenCalledTimes(1)
    expect(handed[0]!.socket.wwwAuthenticate).toContain('id="p"')
    expect(FakeNative.made[0]!.closes).toBe(0)
    report(handed[0]!.drip, { type: 'open', protocol: '' })
    await eventually(() => expect(events).toEqual(['open']))
    expect(FakeNative.made[0]!.closes).toBe(1)
    FakeNative.made[0]!.report(new CloseEvent('close', { code: 1005 }))
    expect(events).toEqual(['open'])
    expect(socket.readyState).toBe(1)
  })

  test('Drip answers that the site pays, Drip does not pay it (locked): the page gets the browser’s socket it held', async () => {
    const { WebSocketClass, handed, tell } = setUp('opens', { pays: 'not told yet', probeStatus: 402 })
    const socket = new WebSocketClass('/api/sessions/ticker')
    const events = watch(socket)
    tell(true)
    await handedOver(handed)
    await eventually(() => expect(nativeState(FakeNative.made[0]!)).toBe(1))
    report(handed[0]!.drip, { type: 'unpaid', outcome: 'locked', message: 'Unlock Drip.' })
    await eventually(() => expect(events).toEqual(['open']))
    expect(socket.readyState).toBe(1)
    expect(FakeNative.made[0]!.closes).toBe(0)
  })

  test('Drip answers that the site pays and the probe finds nothing: the held open reaches the page', async () => {
    const { WebSocketClass, probe, handed, tell } = setUp('opens', { pays: 'not told yet', probeStatus: 426 })
    const events = watch(new WebSocketClass('/api/live'))
    await eventually(() => expect(nativeState(FakeNative.made[0]!)).toBe(1))
    tell(true)
    await eventually(() => expect(events).toEqual(['open']))
    expect(probe).toHaveBeenCalledTimes(1)
    expect(handed).toHaveLength(0)
  })

  test('close() before the browser reported anything: the browser closes it; nothing is probed once Drip answers', async () => {
    const { WebSocketClass, probe, tell } = setUp('opens', { pays: 'not told yet', probeStatus: 402 })
    const socket = new WebSocketClass('/api/live')
    socket.close()
    expect(FakeNative.made[0]!.closes).toBe(1)
    tell(true)
    await Promise.resolve()
    expect(probe).not.toHaveBeenCalled()
  })

  test('close() while an open is held: the page gets a connecting socket’s failure (error, then close 1006), the browser’s socket is closed, nothing is probed', async () => {
    const { WebSocketClass, probe, handed, tell } = setUp('opens', { pays: 'not told yet', probeStatus: 402 })
    const socket = new WebSocketClass('/api/live')
    const events = watch(socket)
    await eventually(() => expect(nativeState(FakeNative.made[0]!)).toBe(1))
    socket.close()
    expect(socket.readyState).toBe(2)
    tell(true)
    await eventually(() => expect(events).toEqual(['error', 'close 1006 false']))
    expect(FakeNative.made[0]!.closes).toBe(1)
    expect(probe).not.toHaveBeenCalled()
    expect(handed).toHaveLength(0)
  })

  test('a 402 handshake before Drip answers: held, then Drip is asked once it has answered, and takes the socket over', async () => {
    const { WebSocketClass, paymentSeen, handed, tell } = setUp(402, { pays: 'not told yet' })
    const events = watch(new WebSocketClass('/api/sessions/ticker'))
    await eventually(() => expect(nativeState(FakeNative.made[0]!)).toBe(3))
    expect(paymentSeen).not.toHaveBeenCalled()
    tell(false)
    await handedOver(handed)
    expect(paymentSeen.mock.calls).toEqual([['ws://shop.test/api/sessions/ticker']])
    report(handed[0]!.drip, { type: 'open', protocol: '' })
    await eventually(() => expect(events).toEqual(['open']))
  })

  test('same origin, the handshake fails without a 402: Drip is asked once, the page gets the browser’s error and close', async () => {
    const { WebSocketClass, paymentSeen, handed } = setUp('fails')
    const events = watch(new WebSocketClass('/api/live'))
    await eventually(() => expect(events).toEqual(['error', 'close 1006 false']))
    expect(paymentSeen.mock.calls).toEqual([['ws://shop.test/api/live']])
    expect(handed).toHaveLength(0)
    expect(FakeNative.made).toHaveLength(1)
  })

  test('a 402 handshake: handed over with the challenge; open, messages and close come from Drip; send goes to Drip; the failure never reaches the page', async () => {
    const { WebSocketClass, handed } = setUp(402)
    const socket = new WebSocketClass('/api/sessions/ticker')
    const events = watch(socket)
    expect(() => socket.send('too early')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }))
    await handedOver(handed)
    expect(handed[0]!.socket).toEqual({ url: 'ws://shop.test/api/sessions/ticker', protocols: [], wwwAuthenticate: expect.stringContaining('Payment') })
    expect(socket.readyState).toBe(0)
    const drip = handed[0]!.drip
    report(drip, { type: 'open', protocol: '' })
    report(drip, { type: 'message', data: { text: '{"tick":1}' } })
    await eventually(() => expect(events).toEqual(['open', 'message {"tick":1}']))
    expect(socket.readyState).toBe(1)
    socket.send('hello')
    await eventually(() => expect(handed[0]!.commands).toEqual([{ type: 'send', data: { text: 'hello' } }]))
    // Binary frames go as the bytes the page gave: a view's own bytes, not the rest of its buffer.
    socket.send(Uint8Array.from([0, 1, 2, 3, 4, 5]).subarray(2, 4))
    socket.send(Uint8Array.from([9, 8]).buffer)
    await eventually(() => expect(handed[0]!.commands).toHaveLength(3))
    const frames = handed[0]!.commands.slice(1).map((command) => (command as { data: { bytes: Uint8Array } }).data.bytes)
    expect(frames.map((bytes) => [...bytes])).toEqual([[2, 3], [9, 8]])
    expect(frames.map((bytes) => bytes.buffer.byteLength)).toEqual([2, 2])
    report(drip, { type: 'close', code: 1000, reason: '', wasClean: true })
    await eventually(() => expect(events).toEqual(['open', 'message {"tick":1}', 'close 1000 true']))
    expect(socket.readyState).toBe(3)
  })

  test('Drip does not pay (pending, locked): the page gets the browser’s own error and close, and no second socket', async () => {
    const { WebSocketClass, handed } = setUp(402)
    const events = watch(new WebSocketClass('/api/sessions/ticker'))
    await handedOver(handed)
    report(handed[0]!.drip, { type: 'unpaid', outcome: 'pending', message: 'Approve it in Drip.' })
    await eventually(() => expect(events).toEqual(['error', 'close 1006 false']))
    expect(FakeNative.made).toHaveLength(1)
  })

  test('the page closes a connecting same-origin socket itself: the browser’s own error and close reach it at once, Drip is not asked', async () => {
    const { WebSocketClass, paymentSeen } = setUp('opens')
    const socket = new WebSocketClass('/api/live')
    const seen: Event[] = []
    for (const type of ['error', 'close']) socket.addEventListener(type, (event) => seen.push(event))
    socket.close()
    FakeNative.made[0]!.report(new Event('error'))
    FakeNative.made[0]!.report(new CloseEvent('close', { code: 1006 }))
    expect(seen).toEqual(FakeNative.made[0]!.reported)
    expect(paymentSeen).not.toHaveBeenCalled()
  })

  test('close() tells Drip at once and reports a clean close; bad codes and schemes throw as natively', async () => {
    const { WebSocketClass, handed } = setUp(402)
    const socket = new WebSocketClass('/api/sessions/ticker')
    await handedOver(handed)
    report(handed[0]!.drip, { type: 'open', protocol: '' })
    await eventually(() => expect(socket.readyState).toBe(1))
    expect(() => socket.close(1001)).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }))
    const closed = new Promise<CloseEvent>((resolve) => socket.addEventListener('close', (event) => resolve(event as CloseEvent)))
    socket.close(1000, 'bye')
    expect((await closed).code).toBe(1000)
    await eventually(() => expect(handed[0]!.commands).toEqual([{ type: 'close', code: 1000, reason: 'bye' }]))
  })

  test('a dropped socket from Drip (not clean) reports error, then close', async () => {
    const { WebSocketClass, handed } = setUp(402)
    const events = watch(new WebSocketClass('/api/sessions/ticker'))
    await handedOver(handed)
    report(handed[0]!.drip, { type: 'open', protocol: '' })
    report(handed[0]!.drip, { type: 'close', code: 1011, reason: 'Reached the cap', wasClean: false })
    await eventually(() => expect(events).toEqual(['open', 'error', 'close 1011 false']))
  })

  test('close() while Drip is asked: the page gets the browser’s failure, nothing is handed over', async () => {
    const { WebSocketClass, paymentSeen, handed } = setUp(402)
    let answer: (challenge: string) => void = () => {}
    paymentSeen.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)))
    const socket = new WebSocketClass('/ticker')
    const events = watch(socket)
    await eventually(() => expect(paymentSeen).toHaveBeenCalled())
    socket.close()
    answer('Payment id="x", method="tempo", intent="session"')
    await eventually(() => expect(events).toEqual(['error', 'close 1006 false']))
    expect(handed).toHaveLength(0)
  })

  test('a site that pays checks what the browser would before its probe: another scheme, a fragment, a duplicate or non-token subprotocol throw SyntaxError', () => {
    const { WebSocketClass, probe } = setUp('opens', { pays: true })
    expect(() => new WebSocketClass('ftp://shop.test/x')).toThrow(expect.objectContaining({ name: 'SyntaxError' }))
    expect(() => new WebSocketClass('ws://shop.test/x#frag')).toThrow(expect.objectContaining({ name: 'SyntaxError' }))
    expect(() => new WebSocketClass('/live', ['v1', 'v1'])).toThrow(expect.objectContaining({ name: 'SyntaxError' }))
    expect(() => new WebSocketClass('/live', 'v 1')).toThrow(expect.objectContaining({ name: 'SyntaxError' }))
    expect(probe).not.toHaveBeenCalled()
    expect(() => new WebSocketClass('/live', ['v1', 'v2'])).not.toThrow()
  })

  test('where nothing is paid the socket is the browser’s own object: its extensions, its class, an instance of the page’s WebSocket', () => {
    const { WebSocketClass } = setUp('opens')
    const socket = new WebSocketClass('wss://chat.elsewhere.test/live')
    expect(FakeNative.made).toEqual([socket])
    FakeNative.made[0]!.negotiated = 'permessage-deflate'
    expect(socket.extensions).toBe('permessage-deflate')
    expect(socket).toBeInstanceOf(WebSocketClass)
  })

  test('a probed socket of a site that pays is an instance of the page’s WebSocket too, with its constructor and constants', () => {
    const { WebSocketClass } = setUp('opens', { pays: true })
    const socket = new WebSocketClass('/live')
    expect(socket).toBeInstanceOf(WebSocketClass)
    expect(socket.constructor).toBe(WebSocketClass)
    expect([socket.CONNECTING, socket.OPEN, socket.CLOSING, socket.CLOSED]).toEqual([0, 1, 2, 3])
    expect(Object.prototype.toString.call(socket)).toBe('[object WebSocket]')
  })
})
