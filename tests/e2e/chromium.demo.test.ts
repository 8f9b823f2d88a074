import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startDemo } from '@/demo/server'
import { startDevnet, type TestDevnet } from '../support/devnet'
import { launchChromium, type ChromiumDrip } from './harness/chromium'
import { GalleryPage } from './pages/gallery'
import { PopupPage } from './pages/popup'

describe('Chromium: Drip with the devnet and the demo site', () => {
  let devnet: TestDevnet
  let demo: Awaited<ReturnType<typeof startDemo>>
  let drip: ChromiumDrip
  beforeAll(async () => {
    devnet = await startDevnet({ blockTimeMs: 500 })
    demo = await startDemo({ rpcUrl: devnet.url, recipientKey: devnet.accounts[1]!.privateKey })
    drip = await launchChromium()
  })
  afterAll(async () => {
    await drip?.close()
    await demo?.close()
    await devnet?.stop()
  })

  test('the popup shows the devnet live as chain 1337', async () => {
    const popup = new PopupPage(await drip.openPopup())
    await popup.setRpcUrl(devnet.url)
    const view = await popup.waitForState('live', devnet.url)
    expect(view.chainId).toBe('1337')
    expect(PopupPage.blockNumber(view)).toBeGreaterThanOrEqual(0)
  })

  test('without an approval the gallery shows its 402 message and nothing is paid', async () => {
    const page = await drip.context.newPage()
    await page.goto(`${demo.origin}/gallery`)
    const gallery = new GalleryPage(page)
    await gallery.nextPhoto()
    const view = await gallery.waitForStatus((status) => status.startsWith('402'), 'the 402 message')
    expect(view).toEqual({ status: '402 — this gallery needs an MPP wallet (Drip)', photos: 0 })
    expect(devnet.chain.state.channels.size).toBe(0)
  })
})
