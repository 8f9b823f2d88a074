/**
 * Invisible where nothing is paid: the same page cases on a site that never
 * answers 402, in Chromium without Drip, with Drip freshly installed, and
 * with an account that approved nothing. What the page saw and every
 * request its server received must be the same; any difference fails.
 */
import { describe, expect, test } from 'vitest'
import { launchChromium, launchPlainChromium } from '../support/browser/chromium'
import { describeNoHarm } from '../support/noHarmRun'
import { startNoHarmSite } from '../support/noHarmSite'
import { PopupPage } from '../support/pages/popup'

describeNoHarm('Chromium', {
  async plain() {
    const plain = await launchPlainChromium()
    return { newTab: () => plain.context.newPage(), close: () => plain.close() }
  },
  async withDrip() {
    const drip = await launchChromium()
    return {
      newTab: () => drip.context.newPage(),
      createAccount: async () => void (await new PopupPage(await drip.openPopup()).createAccount('correct horse battery')),
      close: () => drip.close(),
    }
  },
})

describe("Chromium: Drip's payment code is not loaded for pages that never pay", () => {
  test('a page started the worker again and it answered without the payment code; the popup loads it', async () => {
    const site = await startNoHarmSite()
    const drip = await launchChromium()
    try {
      const popupPage = await drip.openPopup()
      await new PopupPage(popupPage).createAccount('correct horse battery')
      await popupPage.goto('about:blank')
      const page = await drip.context.newPage()
      const worker = () => drip.context.serviceWorkers().at(-1)!
      await worker().evaluate('globalThis.noHarmMark = 1')
      await drip.stopServiceWorker(page)
      await page.goto(`${site.origin}/many-parts`, { waitUntil: 'load' })
      // The content script's hello is answered by the worker this load started.
      await page.evaluate(`(async () => { for (let i = 0; i < 5; i++) await (await fetch('/json')).json() })()`)
      await expect.poll(() => worker().evaluate('globalThis.noHarmMark ?? null').catch(() => 'no worker')).toBeNull()
      expect(await worker().evaluate('typeof globalThis.dripStartPayments')).toBe('undefined')
      await popupPage.goto(`chrome-extension://${drip.extensionId}/popup.html`)
      await new PopupPage(popupPage).waitForScreen('wallet')
      expect(await worker().evaluate('typeof globalThis.dripStartPayments')).toBe('function')
    } finally {
      await drip.close()
      await site.close()
    }
  })
})
