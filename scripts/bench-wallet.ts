/**
 * `npm run bench:wallet`: what a reader waits for, measured in Debian
 * Chromium with the built extension, the devnet and the demo site:
 * creating and unlocking the vault, and the time from "Next photo" to a
 * paid image on a new channel and on an open one, and the popup's time to
 * interactive with 50 sites, 51 channels and 10,000 history lines. Prints a
 * table.
 * A benchmark, not a test: it asserts nothing about speed.
 */
import { performance } from 'node:perf_hooks'
import { startDevnetAndDemo } from '../tests/support/demoSite'
import { launchChromium } from '../tests/support/browser/chromium'
import { clickButton, clickWhenReady, waitUntil } from '../tests/support/pages/driver'
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
      await clickWhenReady(popupPage, 'Lock now')
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
    const photos = (n: number) => waitUntil(() => gallery.view(), (v) => v.photos === n, { what: `photo ${n}`, timeoutMs: 30_000, intervalMs: 5 })
    // The first photo waits for the reader's approval, then opens a channel.
    await gallery.nextPhoto()
    await popup.approve(env.demo.origin, '5')
    await photos(1)
    // Closed from the popup (cooperatively, refunded), so the next photo opens a new channel.
    await popup.closeChannel(env.demo.origin)
    await page.bringToFront()
    const photo = async (n: number) => {
      await gallery.nextPhoto()
      await photos(n)
    }
    const newChannel = await timed(() => photo(2))
    const openChannel: number[] = []
    for (let i = 3; i <= samples + 2; i++) openChannel.push(await timed(() => photo(i)))
    // A heavy reader: 50 approved sites with a channel each and 10,000 lines of history, then the popup opened afresh.
    await drip.serviceWorker.evaluate(`(async () => {
      const address = (await chrome.storage.local.get('vault')).vault.address.toLowerCase()
      // One item per channel and the list of their ids (schema 7, lib/storage/schema.ts).
      const listKey = 'channelIds:' + address, approvalsKey = 'approvals:' + address
      const stored = await chrome.storage.local.get([listKey, approvalsKey])
      const ids = stored[listKey], approvals = stored[approvalsKey]
      const channel = (await chrome.storage.local.get('channel:' + address + ':' + ids[0]))['channel:' + address + ':' + ids[0]]
      const [approval] = Object.values(approvals)
      const added = {}
      for (let i = 1; i <= 50; i++) {
        const origin = 'https://site' + i + '.example', id = '0x' + i.toString(16).padStart(64, '0')
        added['channel:' + address + ':' + id] = { ...channel, channelId: id, origin }
        ids.push(id)
        approvals[origin] = { ...approval, origin }
      }
      await chrome.storage.local.set({ ...added, [listKey]: ids, [approvalsKey]: approvals })
      const db = await new Promise((resolve, reject) => { const r = indexedDB.open('drip-history', 1); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error) })
      const tx = db.transaction('entries', 'readwrite')
      for (let i = 0; i < 10000; i++) tx.objectStore('entries').add({ account: address, at: Date.now() - i, origin: 'https://site' + (i % 50 + 1) + '.example', kind: 'voucher', amount: '1000', cumulative: String(i * 1000) })
      await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error) })
    })()`)
    // Written behind the running worker's back, which keeps channels and approvals in memory: a fresh worker reads
    // them, as one does when the reader opens the browser.
    await drip.stopServiceWorker(page)
    const popupUrl = popupPage.url()
    const interactive: number[] = []
    for (let i = 0; i < 5; i++) {
      await popupPage.goto('about:blank')
      interactive.push(
        await timed(async () => {
          await popupPage.goto(popupUrl)
          await waitUntil(() => popup.channels(), (rows) => rows.length >= 51, { what: '51 channel rows', intervalMs: 5 })
        }),
      )
    }
    const rows = [
      { measure: 'create account (PBKDF2 600k + AES-GCM), ms', ...summary([create]) },
      { measure: 'unlock, click to wallet screen, ms', ...summary(unlocks) },
      { measure: 'Next photo → paid image, new channel, ms', ...summary([newChannel]) },
      { measure: 'Next photo → paid image, open channel, ms', ...summary(openChannel) },
      { measure: 'popup open → Home with 51 channels (50 sites, 10,000 history lines), ms', ...summary(interactive) },
    ]
    console.table(rows)
    // The first open follows a fresh worker (it reads storage); the others find it running.
    console.log(`popup opens in order, ms: ${interactive.map((ms) => Math.round(ms)).join(', ')}`)
  } finally {
    await drip.close()
    await env.stop()
  }
}

void main()
