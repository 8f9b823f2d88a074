import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { closedPort, startRpcResponder, type RpcResponder } from '../support/rpcResponder'
import { startTestSite } from '../support/testSite'
import { launchChromium, type ChromiumDrip } from './harness/chromium'
import { waitUntil } from './pages/driver'
import { PopupPage, walletMarker } from './pages/popup'

describe('Chromium: Drip loads and reads the chain', () => {
  let drip: ChromiumDrip
  let rpc: RpcResponder
  beforeAll(async () => {
    rpc = await startRpcResponder({ chainId: 1337 })
    drip = await launchChromium()
  })
  afterAll(async () => {
    await drip?.close()
    await rpc?.close()
  })

  test('the background service worker runs the built extension', async () => {
    expect(drip.extensionId).toMatch(/^[a-p]{32}$/)
    const manifest = await drip.serviceWorker.evaluate('chrome.runtime.getManifest()')
    expect(manifest).toMatchObject({ name: 'Drip', manifest_version: 3 })
  })

  test('a fresh install shows Localnet at http://127.0.0.1:8545 with a settled status', async () => {
    const popup = new PopupPage(await drip.openPopup())
    const view = await waitUntil(() => popup.chainState(), (v) => v.state !== null, { what: 'a chain status' })
    expect(view.rpcUrl).toBe('http://127.0.0.1:8545')
    expect(['live', 'unreachable', 'wrongChain']).toContain(view.state)
  })

  test('pointed at a live RPC, the popup shows chain 1337 and a block number that advances', async () => {
    const page = await drip.openPopup()
    const popup = new PopupPage(page)
    await popup.setRpcUrl(rpc.url)
    const first = await popup.waitForState('live', rpc.url)
    expect(first.chainId).toBe('1337')
    const firstBlock = PopupPage.blockNumber(first)
    expect(firstBlock).toBeGreaterThan(0)
    // The popup polls; the responder mines a block per read.
    await waitUntil(() => popup.chainState(), (view) => PopupPage.blockNumber(view) > firstBlock, { what: 'a newer block' })

    // The setting persisted in the background: a fresh popup starts from it.
    await page.close()
    const reopened = new PopupPage(await drip.openPopup())
    expect((await reopened.waitForState('live', rpc.url)).chainId).toBe('1337')
  })

  test('a malformed RPC URL is refused with words, and the previous URL stays', async () => {
    const popup = new PopupPage(await drip.openPopup())
    await popup.waitForState('live', rpc.url)
    await popup.setRpcUrl('ftp://127.0.0.1:1')
    expect(await waitUntil(() => popup.alertText(), (text) => text !== null, { what: 'an error' })).toBe(
      'RPC URLs must use http or https, not ftp.',
    )
    expect((await popup.chainState()).rpcUrl).toBe(rpc.url)
  })

  test('an RPC with nothing listening shows as unreachable, not a spinner', async () => {
    const popup = new PopupPage(await drip.openPopup())
    const url = `http://127.0.0.1:${await closedPort()}`
    await popup.setRpcUrl(url)
    const view = await popup.waitForState('unreachable', url)
    expect(view.text).toMatch(/^Unreachable: /)
    expect(view.blockNumber).toBe('—')
  })

  test('an RPC that stalls shows as unreachable after the timeout', async () => {
    const popup = new PopupPage(await drip.openPopup())
    await popup.setRpcUrl(rpc.url)
    await popup.waitForState('live', rpc.url)
    rpc.stall(true)
    try {
      expect((await popup.waitForState('unreachable', rpc.url)).text).toMatch(/took too long/)
    } finally {
      rpc.stall(false)
    }
  })

  test('the content script runs on a localhost page', async () => {
    const site = await startTestSite()
    try {
      const page = await drip.context.newPage()
      await page.goto(`${site.origin}/article`)
      expect(await waitUntil(() => walletMarker(page), (v) => v !== null, { what: 'the wallet marker' })).toBe('drip')
    } finally {
      await site.close()
    }
  })
})
