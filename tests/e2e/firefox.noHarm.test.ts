/**
 * Invisible where nothing is paid, in Firefox ESR: the same page cases as
 * `chromium.noHarm`, without Drip, with Drip freshly installed, and with an
 * account that approved nothing; any difference fails.
 */
import { launchFirefox, launchPlainFirefox } from '../support/browser/firefox'
import { describeNoHarm } from '../support/noHarmRun'
import { PopupPage } from '../support/pages/popup'

describeNoHarm('Firefox ESR', {
  async plain() {
    const plain = await launchPlainFirefox()
    return { newTab: () => plain.browser.newPage(), close: () => plain.close() }
  },
  async withDrip() {
    const drip = await launchFirefox()
    return {
      newTab: () => drip.browser.newPage(),
      createAccount: async () => void (await new PopupPage(await drip.openPopup()).createAccount('correct horse battery')),
      close: () => drip.close(),
    }
  },
})
