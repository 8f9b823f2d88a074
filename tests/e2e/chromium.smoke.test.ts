import { describe, expect, test } from 'vitest'
import { useWorld } from './fixtures'
import { closedPort } from '../support/rpcResponder'
import { startTestSite } from '../support/testSite'
import { clickWhenReady, waitUntil } from '../support/pages/driver'
import { PopupPage, walletMarker } from '../support/pages/popup'

const password = 'correct horse battery'

describe('Chromium: Drip loads, onboards and reads the chain', () => {
  const world = useWorld({ browser: 'chromium', sites: { rpcChainId: 1337 } })
  let popup: PopupPage

  test('the background service worker runs the built extension', async () => {
    expect(world.drip.extensionId).toMatch(/^[a-p]{32}$/)
    const manifest = await world.drip.serviceWorker.evaluate('chrome.runtime.getManifest()')
    expect(manifest).toMatchObject({ name: 'Drip', manifest_version: 3 })
  })

  test('a fresh install shows onboarding; creating an account lands on Home with Localnet at 127.0.0.1:8545, and onboarding ends with how to pin Drip', async () => {
    popup = new PopupPage(await world.drip.openPopup())
    await popup.createAccount(password)
    expect(await popup.address()).toMatch(/^0x[0-9a-fA-F]{40}$/)
    const pinTip = () => popup.page.evaluate(() => document.querySelector('[data-testid="pin-tip"]')?.textContent ?? null)
    expect(await pinTip()).toContain('click the pin beside Drip')
    await clickWhenReady(popup.page, 'Got it')
    await waitUntil(pinTip, (text) => text === null, { what: 'the pin tip to go' })
    const view = await waitUntil(() => popup.chainState(), (v) => v.state !== null, { what: 'a chain status' })
    expect(view.rpcUrl).toBe('http://127.0.0.1:8545')
    expect(['live', 'unreachable', 'wrongChain']).toContain(view.state)
  })

  test('pointed at a live RPC, Home shows chain 1337 and a block number that advances', async () => {
    await popup.setRpcUrl(world.rpc.url)
    await popup.tab('Home')
    const first = await popup.waitForState('live', world.rpc.url)
    expect(first.chainId).toBe('1337')
    const firstBlock = PopupPage.blockNumber(first)
    await waitUntil(() => popup.chainState(), (view) => PopupPage.blockNumber(view) > firstBlock, { what: 'a newer block' })
    const reopened = new PopupPage(await world.drip.openPopup())
    await reopened.waitForScreen('wallet')
    expect((await reopened.waitForState('live', world.rpc.url)).chainId).toBe('1337')
  })

  test('a malformed RPC URL is refused with words, and the previous URL stays', async () => {
    await popup.setRpcUrl('ftp://127.0.0.1:1')
    expect(await waitUntil(() => popup.alertText(), (text) => text !== null, { what: 'an error' })).toBe('RPC URLs must use http or https, not ftp.')
    await popup.tab('Home')
    expect((await popup.waitForState('live')).rpcUrl).toBe(world.rpc.url)
  })

  test('an RPC with nothing listening shows as unreachable, not a spinner', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`
    await popup.setRpcUrl(url)
    await popup.tab('Home')
    const view = await popup.waitForState('unreachable', url)
    expect(view.text).toMatch(/^Unreachable: /)
    expect(view.blockNumber).toBe('—')
  })

  test('an RPC that stalls shows as unreachable after the timeout', async () => {
    await popup.setRpcUrl(world.rpc.url)
    await popup.tab('Home')
    await popup.waitForState('live', world.rpc.url)
    world.rpc.stall(true)
    try {
      expect((await popup.waitForState('unreachable', world.rpc.url)).text).toMatch(/took too long/)
    } finally {
      world.rpc.stall(false)
    }
  })

  test('the content script runs on a localhost page (it takes up a declared stream), and a site not approved gets no mark of Drip', async () => {
    const site = await startTestSite()
    try {
      const page = await world.drip.context.newPage()
      await page.goto(`${site.origin}/declared`)
      const state = () => page.evaluate(() => document.getElementById('declared')?.getAttribute('data-mpp-state') ?? null)
      expect(await waitUntil(state, (v) => v !== null, { what: "Drip's content script to take up the declared stream" })).toBeTruthy()
      expect(await walletMarker(page)).toBeNull()
    } finally {
      await site.close()
    }
  })
})
