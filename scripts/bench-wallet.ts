/**
 * `npm run bench:wallet`: what a reader waits for, measured in Debian
 * Chromium with the built extension, the devnet and the demo site:
 * creating and unlocking the vault, and the time from "Next photo" to a
 * paid image on a new channel and on an open one. Prints a table.
 * A benchmark, not a test: it asserts nothing about speed.
 */
import { performance } from 'node:perf_hooks'
import { startDevnetAndDemo } from '../tests/support/demoSite'
import { launchChromium } from '../tests/support/browser/chromium'
import { clickButton, waitUntil } from '../tests/support/pages/driver'
import { GalleryPage } from '../tests/support/pages/gallery'
import { PopupPage } from '../tests/support/pages/popup'

const samples = Number(process.env.SAMPLES ?? 20)
const password = 'correct horse battery'

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const start = performance.now()
  await work()
  return performance.now() - start
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return { n: values.length, p50: at(0.5).toFixed(0), p90: at(0.9).toFixed(0), max: sorted.at(-1)!.toFixed(0) }
}

async function main() {
  const env = await startDevnetAndDemo()
  const drip = await launchChromium()
  try {
    const popupPage = await drip.openPopup()
    const popup = new PopupPage(popupPage)
    await popup.waitForScreen('onboarding')
    const create = await timed(() => popup.createAccount(password))
    const unlocks: number[] = []
    for (let i = 0; i < 5; i++) {
      await popup.tab('Settings')
      await clickButton(popupPage, 'Lock now')
      await popup.waitForScreen('locked')
      await popupPage.locator('input[name="password"]').fill(password)
      unlocks.push(await timed(async () => {
        await clickButton(popupPage, 'Unlock')
        await popup.waitForScreen('wallet')
      }))
    }
    await popup.setRpcUrl(env.devnet.url)
    await popup.tab('Home')
    await popup.fund()
    const page = await drip.context.newPage()
    await page.goto(`${env.demo.origin}/gallery`)
    const gallery = new GalleryPage(page)
    await gallery.nextPhoto()
    await gallery.waitForStatus((s) => s.startsWith('402'), 'the 402')
    await popup.approve(env.demo.origin, '5')
    const photo = async (n: number) => {
      await gallery.nextPhoto()
      await waitUntil(() => gallery.view(), (v) => v.photos === n, { what: `photo ${n}`, timeoutMs: 30_000, intervalMs: 5 })
    }
    const newChannel = await timed(() => photo(1))
    const openChannel: number[] = []
    for (let i = 2; i <= samples + 1; i++) openChannel.push(await timed(() => photo(i)))
    const rows = [
      { measure: 'create account (PBKDF2 600k + AES-GCM), ms', ...summary([create]) },
      { measure: 'unlock, click to wallet screen, ms', ...summary(unlocks) },
      { measure: 'Next photo → paid image, new channel, ms', ...summary([newChannel]) },
      { measure: 'Next photo → paid image, open channel, ms', ...summary(openChannel) },
    ]
    console.table(rows)
  } finally {
    await drip.close()
    await env.stop()
  }
}

void main()
