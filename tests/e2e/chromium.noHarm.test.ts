/**
 * Invisible where nothing is paid: the same page cases on a site that never
 * answers 402, in Chromium without Drip, with Drip freshly installed, and
 * with an account that approved nothing. What the page saw and every
 * request its server received must be the same; any difference fails.
 */
import { describe, expect, test } from 'vitest'
import { launchChromium, launchPlainChromium } from '../support/browser/chromium'
import { describeNoHarm, landedPage } from '../support/noHarmRun'
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

describe('Chromium: a socket made before Drip could answer the page', () => {
  /**
   * Chrome had ended Drip's worker: the page's hello starts it again, and the answer comes tens of ms after the page's
   * first script, which opens a same-origin socket. Before the paying sites' script, the socket's events were held
   * for that answer and then dispatched as Drip's copies (not trusted, in another order).
   */
  test("on a site that does not pay, with Drip's worker ended, the page's first socket is the browser's own", async () => {
    const site = await startNoHarmSite()
    try {
      const plain = await launchPlainChromium()
      let without: unknown
      try {
        const tab = await plain.context.newPage()
        await tab.goto(`${site.origin}/early-socket`)
        without = await landedPage(tab, '/early-socket')
      } finally {
        await plain.close()
      }
      const drip = await launchChromium()
      try {
        const popupPage = await drip.openPopup()
        await new PopupPage(popupPage).createAccount('correct horse battery')
        await popupPage.goto('about:blank')
        const seen: unknown[] = []
        for (let i = 0; i < 3; i++) {
          const tab = await drip.context.newPage()
          await drip.stopServiceWorker(tab)
          await tab.goto(`${site.origin}/early-socket`)
          seen.push(await landedPage(tab, '/early-socket'))
          await tab.close()
        }
        expect((without as { text: string }).text).toContain('["onopen",true,"","permessage-deflate"]')
        expect(seen).toEqual([without, without, without])
      } finally {
        await drip.close()
      }
    } finally {
      await site.close()
    }
  })
})
