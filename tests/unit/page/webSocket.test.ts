// @vitest-environment happy-dom
/**
 * The page-world WebSocket wrapper with a fake native socket, a fake probe
 * and a hand-over whose other end the test plays: other origins and unpaid
 * URLs get the native socket; a 402 probe hands the socket over to Drip,
 * whose reports drive the page's events; Drip not paying falls back to the
 * native socket.
 */
import { describe, expect, test, vi } from 'vitest'
import type { PaidSocket, SocketCommand, SocketReport } from '@/lib/protocol/socketPort'
import { wrapWebSocket } from '@/lib/page/webSocket'

const page = 'http://shop.test/ticker'

class FakeNative extends EventTarget {
  static made: FakeNative[] = []
  readyState = 0
  protocol = ''
  bufferedAmount = 0
  binaryType = 'blob'
  sent: unknown[] = []
  constructor(
    readonly url: string,
    readonly protocols?: string[],
  ) {
    super()
    FakeNative.made.push(this)
  }
  send(data: unknown) {
    this.sent.push(data)
  }
  close() {
    this.readyState = 3
  }
}

function setUp(probeStatus: number) {
  FakeNative.made = []
  const probe = vi.fn(async () => new Response(null, { status: probeStatus, headers: probeStatus === 402 ? { 'www-authenticate': 'Payment id="x", method="tempo", intent="session"' } : {} }))
  const handed: { socket: PaidSocket; drip: MessagePort; commands: SocketCommand[] }[] = []
  const handOver = (socket: PaidSocket) => {
    const channel = new MessageChannel()
    const entry = { socket, drip: channel.port2, commands: [] as SocketCommand[] }
    channel.port2.onmessage = (event) => void entry.commands.push(event.data)
    handed.push(entry)
    return channel.port1
  }
  const WebSocketClass = wrapWebSocket(FakeNative as unknown as typeof WebSocket, probe as unknown as typeof fetch, handOver, () => page)
  return { WebSocketClass, probe, handed }
}

/** Messages cross MessagePorts as tasks: wait for the state they lead to, never for a fixed time. */
const eventually = (assertion: () => void) => vi.waitFor(assertion, { timeout: 5_000, interval: 5 })
/** The wrapper handed the socket to Drip (after its probe answered). */
const handedOver = (handed: unknown[]) => eventually(() => expect(handed).toHaveLength(1))
const report = (port: MessagePort, value: SocketReport) => port.postMessage(value)

describe('the page’s WebSocket, wrapped', () => {
  test('another origin: the native socket at once, no probe', () => {
    const { WebSocketClass, probe } = setUp(402)
    const socket = new WebSocketClass('wss://chat.elsewhere.test/live', 'v1')
    expect(FakeNative.made.map((s) => [s.url, s.protocols])).toEqual([['wss://chat.elsewhere.test/live', ['v1']]])
    expect(probe).not.toHaveBeenCalled()
    expect(socket.url).toBe('wss://chat.elsewhere.test/live')
  })

  test('same origin, the site asks nothing: one GET probe of the http twin, then the native socket', async () => {
    const { WebSocketClass, probe, handed } = setUp(426)
    new WebSocketClass('/api/live?x=1')
    await eventually(() => expect(FakeNative.made).toHaveLength(1))
    expect(probe).toHaveBeenCalledWith('http://shop.test/api/live?x=1', expect.objectContaining({ credentials: 'same-origin' }))
    expect(FakeNative.made.map((s) => s.url)).toEqual(['ws://shop.test/api/live?x=1'])
    expect(handed).toHaveLength(0)
  })

  test('a 402 probe: handed over with the challenge; open, messages and close come from Drip; send goes to Drip', async () => {
    const { WebSocketClass, handed } = setUp(402)
    const socket = new WebSocketClass('/api/sessions/ticker')
    const events: string[] = []
    // Listeners, not on* properties: happy-dom's dispatchEvent also calls on* handlers, which browsers leave to the wrapper
    // (the Chromium e2e ticker page uses the on* properties).
    socket.addEventListener('open', () => events.push('open'))
    socket.addEventListener('message', (event) => events.push(`message ${(event as MessageEvent).data}`))
    socket.addEventListener('close', (event) => events.push(`close ${event.code} ${event.wasClean}`))
    expect(() => socket.send('too early')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }))
    await handedOver(handed)
    expect(FakeNative.made).toHaveLength(0)
    expect(handed[0]!.socket).toEqual({ url: 'ws://shop.test/api/sessions/ticker', protocols: [], wwwAuthenticate: expect.stringContaining('Payment') })
    const drip = handed[0]!.drip
    report(drip, { type: 'open', protocol: '' })
    report(drip, { type: 'message', data: { text: '{"tick":1}' } })
    await eventually(() => expect(events).toEqual(['open', 'message {"tick":1}']))
    expect(socket.readyState).toBe(1)
    socket.send('hello')
    await eventually(() => expect(handed[0]!.commands).toEqual([{ type: 'send', data: { text: 'hello' } }]))
    report(drip, { type: 'close', code: 1000, reason: '', wasClean: true })
    await eventually(() => expect(events).toEqual(['open', 'message {"tick":1}', 'close 1000 true']))
    expect(socket.readyState).toBe(3)
  })

  test('Drip does not pay (pending, locked): the page gets the native socket, as without Drip', async () => {
    const { WebSocketClass, handed } = setUp(402)
    new WebSocketClass('/api/sessions/ticker')
    await handedOver(handed)
    report(handed[0]!.drip, { type: 'unpaid', outcome: 'pending', message: 'Approve it in Drip.' })
    await eventually(() => expect(FakeNative.made.map((s) => s.url)).toEqual(['ws://shop.test/api/sessions/ticker']))
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
    expect(() => new WebSocketClass('ftp://shop.test/x')).toThrow(expect.objectContaining({ name: 'SyntaxError' }))
    expect(() => new WebSocketClass('ws://shop.test/x#frag')).toThrow(expect.objectContaining({ name: 'SyntaxError' }))
  })

  test('a dropped socket from Drip (not clean) reports error, then close', async () => {
    const { WebSocketClass, handed } = setUp(402)
    const socket = new WebSocketClass('/api/sessions/ticker')
    const events: string[] = []
    socket.addEventListener('error', () => events.push('error'))
    socket.addEventListener('close', (event) => events.push(`close ${(event as CloseEvent).code}`))
    await handedOver(handed)
    report(handed[0]!.drip, { type: 'open', protocol: '' })
    report(handed[0]!.drip, { type: 'close', code: 1011, reason: 'Reached the cap', wasClean: false })
    await eventually(() => expect(events).toEqual(['error', 'close 1011']))
  })
})
