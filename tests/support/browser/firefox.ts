/**
 * Launches Debian's Firefox ESR over WebDriver BiDi with the built Drip
 * installed as a temporary add-on. The add-on's moz-extension UUID is pinned
 * through the `extensions.webextensions.uuids` pref so pages have a stable URL.
 */
import { randomUUID } from 'node:crypto'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'
import { geckoId } from '../../../wxt.config'
import { waitUntil } from '../pages/driver'
import { firefoxBuild } from './paths'
import { temporaryProfile } from './userDataDir'

export const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'

export type FirefoxDrip = {
  browser: Browser
  extensionOrigin: string
  openPopup(): Promise<Page>
  close(): Promise<void>
}

/** Firefox ESR in a clean profile, quiet (no internet here: nothing phones home), with `prefs` on top. */
async function startFirefox(prefs: Record<string, unknown> = {}) {
  const profile = await temporaryProfile('firefox')
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
    userDataDir: profile.dir,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'extensions.getAddons.cache.enabled': false,
      ...prefs,
    },
  })
  return { browser, profile }
}

/** The same Firefox without any add-on: what a page does without Drip. */
export async function launchPlainFirefox(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const { browser, profile } = await startFirefox()
  return {
    browser,
    async close() {
      await browser.close()
      await profile.remove()
    },
  }
}

/** `prefs`: more of Firefox's preferences (the bench's timer precision; `firefox.smoke`'s host names). */
export async function launchFirefox(options: { extensionDir?: string; prefs?: Record<string, unknown> } = {}): Promise<FirefoxDrip> {
  const extensionDir = options.extensionDir ?? firefoxBuild
  const uuid = randomUUID()
  const { browser, profile } = await startFirefox({ ...options.prefs, 'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }) })
  try {
    const installedId = await browser.installExtension(extensionDir)
    if (installedId !== geckoId) throw new Error(`Installed add-on id ${installedId}, expected ${geckoId}.`)
    const extensionOrigin = `moz-extension://${uuid}`
    return {
      browser,
      extensionOrigin,
      async openPopup() {
        const page = await browser.newPage()
        await page.setViewport({ width: 360, height: 600 })
        const url = `${extensionOrigin}/popup.html`
        // Firefox loads moz-extension pages but never reports their navigation
        // as finished over BiDi, so don't await it; wait for the page itself.
        void page.goto(url).catch(() => undefined)
        await waitUntil(
          () => page.evaluate(() => location.href).catch(() => ''),
          (href) => href === url,
          { what: `Firefox to open ${url}` },
        )
        return page
      },
      async close() {
        await browser.close()
        await profile.remove()
      },
    }
  } catch (error) {
    await browser.close()
    await profile.remove()
    throw error
  }
}
