import type { Browser } from 'wxt/browser'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { sparePorts } from '@/lib/content/sparePort'

/** A runtime port stand-in: `drop` runs its disconnect listeners, as when the background goes. */
function fakePort() {
  const onDisconnect: (() => void)[] = []
  const state = { disconnected: false }
  const port = { disconnect: () => void (state.disconnected = true), onDisconnect: { addListener: (listener: () => void) => void onDisconnect.push(listener) } } as unknown as Browser.runtime.Port
  return { port, state, drop: () => onDisconnect.forEach((listener) => listener()) }
}

let ports: ReturnType<typeof fakePort>[]
const connect = vi.fn(() => ports[ports.push(fakePort()) - 1]!.port)
beforeEach(() => {
  ports = []
  connect.mockClear()
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

describe('a port opened ahead', () => {
  test('without one, a request connects; with one, it takes it; only one waits at a time', () => {
    const spare = sparePorts(connect, 1_000)
    expect(spare.take()).toEqual({ port: ports[0]!.port, spare: false })
    spare.ready()
    spare.ready()
    expect(connect).toHaveBeenCalledTimes(2)
    expect(spare.take()).toEqual({ port: ports[1]!.port, spare: true })
    expect(spare.take()).toEqual({ port: ports[2]!.port, spare: false })
  })

  test('one that waits longer than its time is closed; the next request connects', () => {
    const spare = sparePorts(connect, 1_000)
    spare.ready()
    vi.advanceTimersByTime(999)
    expect(ports[0]!.state.disconnected).toBe(false)
    vi.advanceTimersByTime(1)
    expect(ports[0]!.state.disconnected).toBe(true)
    expect(spare.take()).toEqual({ port: ports[1]!.port, spare: false })
  })

  test('one the background dropped is forgotten and not reopened', () => {
    const spare = sparePorts(connect, 1_000)
    spare.ready()
    ports[0]!.drop()
    vi.advanceTimersByTime(5_000)
    expect(connect).toHaveBeenCalledOnce()
    expect(spare.take()).toEqual({ port: ports[1]!.port, spare: false })
  })

  test('one taken is no longer closed by its timer', () => {
    const spare = sparePorts(connect, 1_000)
    spare.ready()
    const { port } = spare.take()
    vi.advanceTimersByTime(5_000)
    expect(port).toBe(ports[0]!.port)
    expect(ports[0]!.state.disconnected).toBe(false)
  })
})
