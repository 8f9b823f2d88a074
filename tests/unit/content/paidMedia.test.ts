// @vitest-environment happy-dom
/**
 * Paid media in the isolated content script: a broken `<img>` is handed to
 * the background only when the browser saw its URL answer this tab a 402
 * with a payment challenge; any other broken element is the page's own (no
 * port, no notice, no mark).
 */
import type { Browser } from 'wxt/browser'
import { describe, expect, test, vi } from 'vitest'
import { paidAttribute, payForMedia } from '@/lib/content/paidMedia'
import type { RelayNotices } from '@/lib/content/handOvers'
import type { RequestCommand, RequestReport } from '@/lib/protocol/requestPort'

/** A runtime port the test plays the background's end of. */
function fakePort() {
  const listeners: ((report: RequestReport) => void)[] = []
  const commands: RequestCommand[] = []
  const port = {
    postMessage: (command: RequestCommand) => void commands.push(command),
    disconnect: () => {},
    onMessage: { addListener: (listener: (report: RequestReport) => void) => void listeners.push(listener) },
    onDisconnect: { addListener: () => {} },
  } as unknown as Browser.runtime.Port
  return { port, commands, report: (report: RequestReport) => listeners.forEach((listener) => listener(report)) }
}

function setUp(seen: string | null) {
  document.body.innerHTML = ''
  const ports: ReturnType<typeof fakePort>[] = []
  const connect = vi.fn(() => ports[ports.push(fakePort()) - 1]!.port)
  const paymentSeen = vi.fn(async (_url: string) => seen)
  const notices: RelayNotices = { unpaid: vi.fn(), waiting: vi.fn(), carriedOn: vi.fn() }
  payForMedia(document, connect, paymentSeen, notices)
  const img = document.createElement('img')
  img.src = 'http://shop.test/photo.jpg'
  document.body.append(img)
  // The browser fires `error` on the element; it does not bubble, Drip listens in the capture phase.
  const fail = () => img.dispatchEvent(new Event('error'))
  return { img, fail, connect, ports, paymentSeen, notices }
}

const eventually = (assertion: () => void) => vi.waitFor(assertion, { timeout: 2_000, interval: 5 })

describe('a broken image', () => {
  test('the browser did not see it answered 402: Drip asks nothing of the background to pay, shows no notice, leaves no mark', async () => {
    const { img, fail, connect, paymentSeen, notices } = setUp(null)
    fail()
    await eventually(() => expect(paymentSeen).toHaveBeenCalledWith('http://shop.test/photo.jpg'))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(connect).not.toHaveBeenCalled()
    expect(notices.unpaid).not.toHaveBeenCalled()
    expect(img.hasAttribute(paidAttribute)).toBe(false)
  })

  test('a 402 the browser saw: one port asks the background to pay that URL (media: paid only for what the browser saw); its bytes are shown', async () => {
    const { img, fail, connect, ports } = setUp('Payment id="p", method="tempo", intent="session"')
    fail()
    fail()
    await eventually(() => expect(connect).toHaveBeenCalledTimes(1))
    expect(ports[0]!.commands[0]).toMatchObject({ type: 'start', request: { url: 'http://shop.test/photo.jpg', method: 'GET', media: true } })
    ports[0]!.report({ type: 'whole', status: 200, statusText: 'OK', headers: [['content-type', 'image/jpeg']], url: 'http://shop.test/photo.jpg', bytes: new Uint8Array([1, 2, 3]) })
    await eventually(() => expect(img.getAttribute(paidAttribute)).toBe('paid'))
    expect(img.src).toMatch(/^blob:/)
    expect(ports[0]!.commands.at(-1)).toEqual({ type: 'received' })
  })

  test('the background did not pay it (the reader has not approved the site): the notice says so; no mark', async () => {
    const { img, fail, ports, notices } = setUp('Payment id="p", method="tempo", intent="session"')
    fail()
    await eventually(() => expect(ports).toHaveLength(1))
    ports[0]!.report({ type: 'unpaid', outcome: 'pending', message: 'shop.test asks to be paid $0.01 per photo.' })
    await eventually(() => expect(notices.unpaid).toHaveBeenCalledWith('shop.test asks to be paid $0.01 per photo.', 'pending'))
    expect(img.hasAttribute(paidAttribute)).toBe(false)
  })
})
