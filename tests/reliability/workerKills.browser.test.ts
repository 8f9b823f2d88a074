/**
 * Faults in the real extension: Chrome ends Drip's service worker at random
 * points of a paid stream and of a photo loop, and ten tabs of one site
 * stream and fetch at once. Figures: double opens, spend beyond what was
 * delivered (plus sign-ahead, here 0), lost words, photos paid but not shown.
 */
import type { Page } from 'playwright-core'
import { describe, expect, test, beforeAll, afterAll } from 'vitest'
import { findArticle } from '@/demo/content'
import { useWorld } from '../e2e/fixtures'
import { waitUntil } from '../support/pages/driver'
import { GalleryPage } from '../support/pages/gallery'
import { PopupPage } from '../support/pages/popup'
import { StreamPage } from '../support/pages/stream'
import { figures, random, tabs, workerKills } from './scale'

const results = figures('Worker kills and many tabs (Chromium)')
results.expectZero('stream: double opens', 'stream: lost words', 'stream: spend beyond delivered (units)', 'photos: double opens', 'tabs: spend beyond delivered (units)', 'tabs: streams the site broke off')
afterAll(() => results.print())

describe('reliability in Chromium', () => {
  const world = useWorld({ browser: 'chromium' })
  let popupPage: Page
  let popup: PopupPage
  let payer: string

  beforeAll(async () => {
    popupPage = await world.drip.openPopup()
    popup = new PopupPage(popupPage)
    await popup.setUpFunded(world.env.devnet.url)
    // Paid exactly as delivered, so "paid once" is exact. At the shipped $0.01 ahead, CI's run of 2026-12-03 saw
    // 51 units ($0.051) signed beyond delivery over 5 kills: each resumed stream signs ahead again (open finding).
    await popup.setSignAhead('0')
    payer = (await popup.address()).toLowerCase()
  })

  /** What Drip signed on its one channel to the demo site, in raw units, from the popup. */
  async function signed(): Promise<bigint> {
    await popupPage.bringToFront()
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    return popup.signedOnFirstChannel()
  }

  const opens = () => world.env.devnet.reserveEvents('ChannelOpened').filter((e) => e.args.payer.toLowerCase() === payer).length

  async function stopWorker(page: Page) {
    const cdp = await world.drip.context.newCDPSession(page)
    await cdp.send('ServiceWorker.enable')
    await cdp.send('ServiceWorker.stopAllWorkers')
    await cdp.detach()
  }

  test(`a ${findArticle('payment-channels')!.words.length}-word stream survives ${workerKills} worker kills: every word once, paid once`, async () => {
    const r = random()
    const page = await world.drip.context.newPage()
    await page.goto(`${world.env.demo.origin}/article/payment-channels?wps=100`)
    const stream = new StreamPage(page)
    await stream.waitForState(['pending'])
    await popupPage.bringToFront()
    await popup.approve(world.env.demo.origin, '10')
    // The waiting stream carries on by itself once the site is approved.
    await page.bringToFront()
    const article = findArticle('payment-channels')!
    // Random points, one kill per stretch of the article, each after the stream resumed from the last one.
    const stretch = Math.floor((article.words.length - 100) / workerKills)
    const killAt = Array.from({ length: workerKills }, (_, i) => 20 + i * stretch + r.int(0, stretch - 30))
    for (const words of killAt) {
      await waitUntil(() => stream.read(), (s) => (s.words >= words && s.state === 'streaming') || s.state === 'complete', { what: `${words} words`, timeoutMs: 60_000 })
      await stopWorker(page)
      results.add('stream: worker kills')
    }
    const view = await stream.waitForState(['complete', 'broken', 'refused', 'cap', 'stopped'], 180_000)
    expect(view.state).toBe('complete')
    const shown = view.text.split(/\s+/).filter(Boolean)
    const expected = article.words.filter((w) => w !== '\n')
    results.add('stream: words delivered', view.words)
    results.add('stream: lost words', Math.max(0, article.words.length - view.words) + (shown.join(' ') === expected.join(' ') ? 0 : 1))
    const spent = await signed()
    results.add('stream: units signed', Number(spent / 1_000n))
    results.add('stream: spend beyond delivered (units)', Math.max(0, Number(spent / 1_000n) - article.words.length))
    results.add('stream: double opens', opens() - 1)
    await page.close()
    expect(results.get('stream: lost words')).toBe(0)
    expect(results.get('stream: double opens')).toBe(0)
    // Resuming re-offers the unit signed for the word in flight, and the demo does not charge twice for a word it
    // sends again after Last-Event-ID, even when a voucher the killed worker posted arrives after the connection.
    expect(results.get('stream: spend beyond delivered (units)')).toBe(0)
  })

  test(`a photo loop survives ${workerKills} worker kills: no photo paid that was not shown`, async () => {
    const r = random(3)
    // The stream above approved the site once (for its words): that approval covers its photos too, no new question.
    const before = await signed()
    const page = await world.drip.context.newPage()
    await page.goto(`${world.env.demo.origin}/gallery`)
    const gallery = new GalleryPage(page)
    await page.bringToFront()
    const clicks = workerKills * 3
    const kills = new Set(Array.from({ length: workerKills }, () => r.int(0, clicks - 1)))
    for (let click = 0; click < clicks; click++) {
      const photos = (await gallery.view()).photos
      await gallery.nextPhoto()
      if (kills.has(click)) {
        await new Promise((resolve) => setTimeout(resolve, r.int(0, 120)))
        await stopWorker(page)
        results.add('photos: worker kills')
      }
      await waitUntil(() => gallery.view(), (v) => v.photos > photos || /Could not|402/.test(v.status), { what: `photo ${click + 1}`, timeoutMs: 30_000 })
      results.add('photos: clicks')
    }
    const shown = (await gallery.view()).photos
    const paid = Number(((await signed()) - before) / 10_000n)
    results.add('photos: shown', shown)
    results.add('photos: paid', paid)
    results.add('photos: paid but not shown (units, at most one per kill)', Math.max(0, paid - shown))
    results.add('photos: double opens', opens() - 1)
    await page.close()
    // Drip's worker makes the paid request, so the page never holds a credential. A kill after the site charged and
    // before the answer reached the page loses that answer: the page asks again and Drip pays again (a small answer
    // kept before the kill is handed over instead, `streams/undelivered.ts`). At most one unit per kill.
    expect(results.get('photos: paid but not shown (units, at most one per kill)')).toBeLessThanOrEqual(results.get('photos: worker kills'))
    expect(results.get('photos: double opens')).toBe(0)
  })

  test(`${tabs} tabs of one site streaming and fetching at once: the channel carries exactly what was delivered`, async () => {
    const before = await signed()
    const pages = await Promise.all(Array.from({ length: tabs }, () => world.drip.context.newPage()))
    const streams = pages.slice(0, Math.ceil(tabs / 2))
    const galleries = pages.slice(Math.ceil(tabs / 2)).map((page) => new GalleryPage(page))
    await Promise.all(pages.slice(Math.ceil(tabs / 2)).map((page) => page.goto(`${world.env.demo.origin}/gallery`)))
    await Promise.all(streams.map((page) => page.goto(`${world.env.demo.origin}/poem`)))
    // Every gallery asks for three photos while the poems stream.
    await Promise.all(
      galleries.map(async (gallery) => {
        for (let i = 0; i < 3; i++) {
          const photos = (await gallery.view()).photos
          const view = await gallery.showPhotos(1, 60_000)
          if (view.photos === photos) {
            results.add('tabs: photos the site refused')
            console.log(`a photo failed: ${view.status}`)
          }
        }
      }),
    )
    const views = await Promise.all(streams.map((page) => new StreamPage(page).waitForState(['complete', 'broken', 'refused', 'cap', 'stopped'], 180_000)))
    const photos = (await Promise.all(galleries.map((gallery) => gallery.view()))).reduce((sum, v) => sum + v.photos, 0)
    const words = views.reduce((sum, v) => sum + v.words, 0)
    const unfinished = views.filter((v) => v.state !== 'complete').length
    results.add('tabs: open', tabs)
    results.add('tabs: streams completed', views.length - unfinished)
    results.add('tabs: streams the site broke off', unfinished)
    results.add('tabs: words delivered', words)
    results.add('tabs: photos shown', photos)
    const spent = (await signed()) - before
    const delivered = BigInt(words) * 1_000n + BigInt(photos) * 10_000n
    results.add('tabs: units signed', Number(spent / 1_000n))
    // More signed than delivered is the reader's loss. Less is the site's: under this much concurrency mppx 0.11's
    // server now and then lets a word through uncharged (seen: 0 or 1 in a run); printed, not asserted.
    results.add('tabs: spend beyond delivered (units)', Math.max(0, Number((spent - delivered) / 1_000n)))
    results.add('tabs: words the site did not charge', Math.max(0, Number((delivered - spent) / 1_000n)))
    await Promise.all(pages.map((page) => page.close()))
    expect(results.get('tabs: spend beyond delivered (units)')).toBe(0)
    expect(unfinished).toBe(0)
  })
})
