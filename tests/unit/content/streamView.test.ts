// @vitest-environment happy-dom
/**
 * The in-page stream view against scripted ports: when it reconnects and
 * from which word, and when it gives up.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import type { Browser } from 'wxt/browser'
import { render, maxReconnects } from '@/lib/content/streamView'
import type { StreamCommand, StreamReport } from '@/lib/protocol/streamPort'

/** A port whose background side is the test: it records commands and sends scripted reports. */
function scriptedPort() {
  const commands: StreamCommand[] = []
  const onMessage: ((report: StreamReport) => void)[] = []
  const onDisconnect: (() => void)[] = []
  let disconnected = false
  const port = {
    postMessage: (command: StreamCommand) => void commands.push(command),
    disconnect: () => void (disconnected = true),
    onMessage: { addListener: (listener: (report: StreamReport) => void) => void onMessage.push(listener) },
    onDisconnect: { addListener: (listener: () => void) => void onDisconnect.push(listener) },
  } as unknown as Browser.runtime.Port
  return {
    port,
    commands,
    get disconnected() {
      return disconnected
    },
    report: (report: StreamReport) => onMessage.forEach((listener) => listener(report)),
    lose: () => onDisconnect.forEach((listener) => listener()),
  }
}

const progress = { signed: '1000', remaining: '9000', cap: '10000', messages: 0 }
const word = (data: string): StreamReport => ({ type: 'messages', messages: [{ type: 'message', data, ...progress }] })
const end = (reason: 'broken' | 'complete', message = 'the end', signed = progress.signed): StreamReport => ({ type: 'end', reason, message, ...progress, signed })

describe('stream view', () => {
  let element: HTMLElement
  let ports: ReturnType<typeof scriptedPort>[]
  const connect = () => {
    const port = scriptedPort()
    ports.push(port)
    return port.port
  }

  beforeEach(() => {
    vi.useFakeTimers()
    document.body.innerHTML = '<div data-mpp-stream="/api/sessions/poem">Fallback</div>'
    element = document.querySelector('div')!
    ports = []
  })
  afterEach(() => vi.useRealTimers())

  test('a stream the site breaks off after words arrived is read on from the next word, on a fresh connection', async () => {
    render(element, connect)
    expect(ports[0]!.commands).toEqual([{ type: 'start', url: '/api/sessions/poem' }])
    ports[0]!.report(word('{"title":"T"}'))
    ports[0]!.report(word('one'))
    ports[0]!.report(word('two'))
    ports[0]!.report(end('broken', 'reserved voucher coverage is no longer available'))
    expect(ports[0]!.disconnected).toBe(true)
    expect(element.getAttribute('data-mpp-state')).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(5_000)
    expect(ports).toHaveLength(2)
    expect(ports[1]!.commands).toEqual([{ type: 'start', url: '/api/sessions/poem', resumeFrom: 2 }])
    ports[1]!.report(word('{"title":"T"}'))
    ports[1]!.report(word('three'))
    ports[1]!.report(end('complete'))
    expect(element.getAttribute('data-mpp-state')).toBe('complete')
    expect(element.textContent?.split(/\s+/).filter(Boolean)).toEqual(['one', 'two', 'three'])
  })

  test('a batch is one DOM update: the header goes to the page, named events are skipped, lines break, one count', () => {
    const header = vi.fn()
    render(element, connect, header)
    const batch = (...data: (string | { event: string })[]): StreamReport => ({
      type: 'messages',
      messages: data.map((d) => (typeof d === 'string' ? { type: 'message', data: d, ...progress } : { type: 'message', data: 'x', event: d.event, ...progress })),
    })
    const counts: (string | null)[] = []
    new MutationObserver((records) => records.forEach((r) => counts.push(r.oldValue))).observe(element, { attributes: true, attributeOldValue: true, attributeFilter: ['data-mpp-words'] })
    ports[0]!.report(batch('{"title":"T","author":"A"}', 'one', { event: 'payment-receipt' }, 'two', '\n', 'three'))
    ports[0]!.report(batch({ event: 'ping' }))
    ports[0]!.report(batch('four'))
    expect(header).toHaveBeenCalledExactlyOnceWith({ title: 'T', author: 'A' })
    expect(element.innerHTML).toBe('one two<br>three four')
    expect(element.getAttribute('data-mpp-words')).toBe('5')
    // Two updates of the count (from none to 4, from 4 to 5), not one per word.
    return Promise.resolve().then(() => expect(counts).toEqual([null, '4']))
  })

  test('a stream broken before it paid anything is not retried: the reader sees the error', async () => {
    render(element, connect)
    ports[0]!.report(end('broken', 'the RPC did not answer', '0'))
    await vi.advanceTimersByTimeAsync(5_000)
    expect(ports).toHaveLength(1)
    expect(element.getAttribute('data-mpp-state')).toBe('broken')
  })

  test(`a stream broken after its first unit but before its first word (another tab's photo took its coverage) is tried again ${maxReconnects} times, offering that unit again, then given up`, async () => {
    render(element, connect)
    for (let i = 0; i < maxReconnects; i++) {
      ports.at(-1)!.report(end('broken', 'reserved voucher coverage is no longer available'))
      await vi.advanceTimersByTimeAsync(5_000)
    }
    expect(ports).toHaveLength(maxReconnects + 1)
    // resumeFrom 0: the background re-offers what was signed instead of paying a new first unit.
    expect(ports.slice(1).map((port) => port.commands)).toEqual(Array.from({ length: maxReconnects }, () => [{ type: 'start', url: '/api/sessions/poem', resumeFrom: 0 }]))
    ports.at(-1)!.report(end('broken', 'answered HTTP 500 instead of the stream'))
    await vi.advanceTimersByTimeAsync(5_000)
    expect(ports).toHaveLength(maxReconnects + 1)
    expect(element.getAttribute('data-mpp-state')).toBe('broken')
  })

  test(`after ${maxReconnects} lost connections in a row with no word between them, the view gives up`, async () => {
    render(element, connect)
    ports[0]!.report(word('one'))
    for (let i = 0; i < maxReconnects; i++) {
      ports.at(-1)!.lose()
      await vi.advanceTimersByTimeAsync(5_000)
    }
    expect(ports).toHaveLength(maxReconnects + 1)
    ports.at(-1)!.lose()
    await vi.advanceTimersByTimeAsync(5_000)
    expect(ports).toHaveLength(maxReconnects + 1)
    expect(element.getAttribute('data-mpp-state')).toBe('broken')
  })
})
