/**
 * Launches Debian's Chromium with the built Drip loaded, in a clean profile.
 * playwright-core never downloads a browser: the executable is the system one.
 */
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core'
import { chromeBuild } from './paths'
import { temporaryProfile } from './userDataDir'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export type ChromiumDrip = {
  context: BrowserContext
  extensionId: string
  /** The background service worker, for `evaluate`. */
  serviceWorker: Worker
  /** Opens the popup as a tab, at the popup's real size. */
  openPopup(): Promise<Page>
  /**
   * Has Chrome end Drip's service worker, as it ends an idle one, through a
   * CDP session on `page`; resolves once the worker was seen stopped. The
   * next event starts a fresh worker that reads storage anew.
   */
  stopServiceWorker(page: Page): Promise<void>
  close(): Promise<void>
}

/** `DRIP_CHROME_BUILD` runs a test against another build (an older commit's, to compare behaviour). */
export async function launchChromium(options: { extensionDir?: string; args?: string[] } = {}): Promise<ChromiumDrip> {
  const extensionDir = options.extensionDir ?? process.env.DRIP_CHROME_BUILD ?? chromeBuild
  const profile = await temporaryProfile('chromium')
  const context = await chromium.launchPersistentContext(profile.dir, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      // The machine has no internet: stop Chromium's own background traffic.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-gpu',
      ...(options.args ?? []),
    ],
  })
  try {
    const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }))
    const extensionId = new URL(serviceWorker.url()).host
    return {
      context,
      extensionId,
      serviceWorker,
      async openPopup() {
        const page = await context.newPage()
        await page.setViewportSize({ width: 360, height: 600 })
        await page.goto(`chrome-extension://${extensionId}/popup.html`)
        return page
      },
      async stopServiceWorker(page) {
        const cdp = await context.newCDPSession(page)
        try {
          const statuses: string[] = []
          cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
            for (const version of versions) if (version.scriptURL.includes(extensionId)) statuses.push(version.runningStatus)
          })
          await cdp.send('ServiceWorker.enable')
          const from = statuses.length
          await cdp.send('ServiceWorker.stopAllWorkers')
          // Something may wake it again at once: stopped once is a fresh worker for what comes next all the same.
          const deadline = Date.now() + 15_000
          while (!statuses.slice(from).includes('stopped')) {
            if (Date.now() > deadline) throw new Error(`Drip's service worker did not stop; last seen ${statuses.at(-1)}.`)
            await new Promise((resolve) => setTimeout(resolve, 20))
          }
        } finally {
          await cdp.detach()
        }
      },
      async close() {
        await context.close()
        await profile.remove()
      },
    }
  } catch (error) {
    await context.close()
    await profile.remove()
    throw error
  }
}

/** The same Chromium, same flags, without any extension: what a page does without Drip. */
export async function launchPlainChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = await temporaryProfile('chromium')
  const context = await chromium.launchPersistentContext(profile.dir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu'],
  })
  return {
    context,
    async close() {
      await context.close()
      await profile.remove()
    },
  }
}
