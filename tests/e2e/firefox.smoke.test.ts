import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startRpcResponder, type RpcResponder } from '../support/rpcResponder'
import { startTestSite } from '../support/testSite'
import { launchFirefox, type FirefoxDrip } from './harness/firefox'
import { waitUntil } from './pages/driver'
import { PopupPage, walletMarker } from './pages/popup'

describe('Firefox: Drip loads and reads the chain', () => {
  let drip: FirefoxDrip
  let rpc: RpcResponder
  beforeAll(async () => {
    rpc = await startRpcResponder({ chainId: 1337 })
    drip = await launchFirefox()
  })
  afterAll(async () => {
    await drip?.close()
    await rpc?.close()
  })

  test('the popup renders the chain status of a running RPC', async () => {
    const popup = new PopupPage(await drip.openPopup())
    await popup.waitForState('unreachable')
    await popup.setRpcUrl(rpc.url)
    const view = await popup.waitForState('live', rpc.url)
    expect(view.chainId).toBe('1337')
    expect(PopupPage.blockNumber(view)).toBeGreaterThan(0)
  })

  test('the content script runs on a localhost page', async () => {
    const site = await startTestSite()
    try {
      const page = await drip.browser.newPage()
      await page.goto(`${site.origin}/article`)
      expect(await waitUntil(() => walletMarker(page), (v) => v !== null, { what: 'the wallet marker' })).toBe('drip')
    } finally {
      await site.close()
    }
  })
})
