/**
 * Invisible where nothing is paid: the same page cases on a site that never
 * answers 402, in Chromium without Drip, with Drip freshly installed, and
 * with an account that approved nothing. What the page saw and every
 * request its server received must be the same; any difference fails.
 */
import { launchChromium, launchPlainChromium } from '../support/browser/chromium'
import { describeNoHarm } from '../support/noHarmRun'
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
