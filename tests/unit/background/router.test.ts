import { beforeEach, describe, expect, test, vi } from 'vitest'
import type { Browser } from 'wxt/browser'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import * as Router from '@/lib/background/router'
import { createBackground } from '@/lib/background/root'
import { Wallet } from '@/lib/wallet/wallet'
import * as Messages from '@/lib/protocol/messages'
import { createSend } from '@/lib/protocol/send'
import type { NetworkStatus } from '@/lib/protocol/views'

const extension = { id: 'test-extension-id', origin: 'chrome-extension://test-extension-id' }
const popup: Browser.runtime.MessageSender = { id: extension.id, url: `${extension.origin}/popup.html` }
const contentScript: Browser.runtime.MessageSender = {
  id: extension.id,
  url: 'http://localhost:3000/gallery',
  origin: 'http://localhost:3000',
  tab: { id: 7 } as Browser.tabs.Tab,
}

describe('Router.classify', () => {
  test('pages served from the extension origin are extension pages', () => {
    expect(Router.classify(popup, extension)).toEqual({ kind: 'extension' })
  })

  test('content scripts speak for the page origin the browser reports', () => {
    expect(Router.classify(contentScript, extension)).toEqual({
      kind: 'page',
      origin: 'http://localhost:3000',
      tabId: 7,
    })
  })

  test('without sender.origin (Firefox) the origin comes from sender.url', () => {
    const { origin: _, ...firefoxSender } = contentScript
    expect(Router.classify(firefoxSender, extension)).toMatchObject({ origin: 'http://localhost:3000' })
  })

  test('moz-extension pages are extension pages', () => {
    const moz = { id: 'drip@x', origin: 'moz-extension://0b5c6b3e-1111-4a4a-9c9c-123456789abc' }
    expect(Router.classify({ id: moz.id, url: `${moz.origin}/popup.html` }, moz)).toEqual({ kind: 'extension' })
  })

  test.each([
    ['another extension', { ...popup, id: 'other-extension' }],
    ['no id', { url: popup.url }],
    ['no url', { id: extension.id }],
    ['an opaque (sandboxed) origin', { ...contentScript, origin: 'null' }],
    ['an about:blank frame', { id: extension.id, url: 'about:blank' }],
  ])('refuses %s', (_name, sender) => {
    expect(Router.classify(sender as Browser.runtime.MessageSender, extension)).toBeUndefined()
  })
})

describe('Router.listen', () => {
  beforeEach(() => fakeBrowser.reset())

  /** One message from `sender`, as the browser delivers it: the router's answer, or 'ignored'. */
  async function deliver(message: unknown, sender: Browser.runtime.MessageSender) {
    let response: unknown
    const results = await fakeBrowser.runtime.onMessage.trigger(message, sender, (r: unknown) => void (response = r))
    if (!(results as unknown[]).includes(true)) return 'ignored'
    await vi.waitFor(() => expect(response).toBeDefined())
    return response
  }

  function setup() {
    const handlers = {
      'network.status': vi.fn(async () => ({}) as NetworkStatus),
      'network.setRpcUrl': vi.fn(async () => ({}) as NetworkStatus),
      'page.connect': vi.fn(async (_params: void, caller: Messages.PageCaller) => ({ wallet: 'drip' as const, version: '1', origin: caller.origin })),
    }
    const { 'page.connect': connect, ...popupHandlers } = handlers
    const stop = Router.listen({ page: { 'page.connect': connect }, popup: popupHandlers } as unknown as Messages.Handlers)
    return { handlers, deliver, stop }
  }

  test('an extension page may call privileged methods', async () => {
    const { handlers, deliver } = setup()
    const params = { networkId: 'localnet', rpcUrl: 'http://127.0.0.1:1' }
    expect(await deliver({ drip: 1, method: 'network.setRpcUrl', params }, popup)).toEqual({ ok: true, result: {} })
    expect(handlers['network.setRpcUrl']).toHaveBeenCalledWith(params, { kind: 'extension' })
  })

  test('a content script may not call privileged methods, and the handler never runs', async () => {
    const { handlers, deliver } = setup()
    const response = await deliver({ drip: 1, method: 'network.setRpcUrl', params: {} }, contentScript)
    expect(response).toEqual({ ok: false, error: `Refused "network.setRpcUrl": only Drip's own pages may call it.` })
    expect(handlers['network.setRpcUrl']).not.toHaveBeenCalled()
  })

  test('an extension page may not call a page method: only content scripts speak for pages', async () => {
    const { handlers, deliver } = setup()
    expect(await deliver({ drip: 1, method: 'page.connect' }, popup)).toEqual({ ok: false, error: `Refused "page.connect": only content scripts speak for pages.` })
    expect(handlers['page.connect']).not.toHaveBeenCalled()
  })

  test('the page origin comes from the sender, not from the payload', async () => {
    const { deliver } = setup()
    const response = await deliver(
      { drip: 1, method: 'page.connect', params: { origin: 'https://victim.example' } },
      contentScript,
    )
    expect(response).toEqual({ ok: true, result: { wallet: 'drip', version: '1', origin: 'http://localhost:3000' } })
  })

  test('senders outside Drip are refused, unknown methods named, foreign messages ignored', async () => {
    const { deliver } = setup()
    expect(await deliver({ drip: 1, method: 'page.connect' }, { ...contentScript, id: 'evil' })).toEqual({
      ok: false,
      error: 'Refused "page.connect": the sender is not part of Drip.',
    })
    expect(await deliver({ drip: 1, method: 'wallet.drain' }, popup)).toEqual({
      ok: false,
      error: 'Unknown Drip method "wallet.drain".',
    })
    expect(await deliver({ type: 'something-else' }, popup)).toBe('ignored')
  })

  test('handler errors come back as words', async () => {
    const { handlers, deliver } = setup()
    vi.mocked(handlers['network.status']).mockRejectedValueOnce(new Error('RPC exploded'))
    expect(await deliver({ drip: 1, method: 'network.status' }, popup)).toEqual({ ok: false, error: 'RPC exploded' })
  })

  test("a popup table given as a function is asked for only when a request needs it: never for a page's own method", async () => {
    const popupHandlers = { 'network.status': vi.fn(async () => ({}) as NetworkStatus) }
    const loadPopup = vi.fn(() => popupHandlers)
    const connect = vi.fn(async (_params: void, caller: Messages.PageCaller) => ({ wallet: 'drip' as const, version: '1', origin: caller.origin }))
    Router.listen({ page: { 'page.connect': connect }, popup: loadPopup } as unknown as Router.RoutedHandlers)
    expect(await deliver({ drip: 1, method: 'page.connect' }, contentScript)).toMatchObject({ ok: true })
    expect(await deliver({ drip: 1, method: 'page.connect' }, { ...contentScript, id: 'evil' })).toMatchObject({ ok: false })
    expect(loadPopup).not.toHaveBeenCalled()
    // A page asking a popup method, the popup itself, an unknown method: each needs the table to answer.
    expect(await deliver({ drip: 1, method: 'network.status' }, contentScript)).toEqual({ ok: false, error: `Refused "network.status": only Drip's own pages may call it.` })
    expect(await deliver({ drip: 1, method: 'network.status' }, popup)).toEqual({ ok: true, result: {} })
    expect(await deliver({ drip: 1, method: 'wallet.drain' }, popup)).toEqual({ ok: false, error: 'Unknown Drip method "wallet.drain".' })
    expect(loadPopup).toHaveBeenCalledTimes(3)
  })

  test('a popup table that cannot be loaded answers with the reason, and page methods still work', async () => {
    const connect = vi.fn(async (_params: void, caller: Messages.PageCaller) => ({ wallet: 'drip' as const, version: '1', origin: caller.origin }))
    Router.listen({
      page: { 'page.connect': connect },
      popup: () => {
        throw new Error("Drip's payment code (/payments.js) is not loaded.")
      },
    } as unknown as Router.RoutedHandlers)
    expect(await deliver({ drip: 1, method: 'network.status' }, popup)).toEqual({ ok: false, error: "Drip's payment code (/payments.js) is not loaded." })
    expect(await deliver({ drip: 1, method: 'page.connect' }, contentScript)).toMatchObject({ ok: true, result: { origin: 'http://localhost:3000' } })
  })

  test('send turns a refusal into a thrown error, and listen can stop', async () => {
    const stop = Router.listen({
      page: {},
      popup: {
        'network.status': async () => {
          throw new Error('nope')
        },
      },
    } as unknown as Messages.Handlers)
    // The fake browser's sender is empty, which Drip refuses like any unknown sender.
    const send = createSend((request) => fakeBrowser.runtime.sendMessage(request))
    await expect(send('network.status')).rejects.toThrow('the sender is not part of Drip')
    stop()
    expect(fakeBrowser.runtime.onMessage.hasListeners()).toBe(false)
  })
})

describe('the content scripts’ API', () => {
  // Hostile web, round two, finding 6: page.pay / page.delivered / page.receipt handed a signed credential to any
  // content-script sender. Pages are paid only through the hand-over; no public method signs or returns a credential.
  test('is exactly page.connect and page.paymentSeen, the page table of the background Drip runs', () => {
    const { handlers } = createBackground({ version: 'test', wallet: new Wallet({ iterations: 1_000 }) })
    expect(Object.keys(handlers.page).sort()).toEqual(['page.connect', 'page.paymentSeen'])
    // And no popup method is in reach of a content script by another name.
    expect(Object.keys(handlers.popup).filter((method) => method.startsWith('page.'))).toEqual([])
  })
})
