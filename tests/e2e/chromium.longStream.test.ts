/**
 * An essay of about 900 words paced at 20 words per second takes over 40 s, longer
 * than Chrome lets an idle MV3 service worker live (30 s): the stream must
 * complete anyway, signing ahead by the shipped setting ($0.01, ten words)
 * and never past it.
 * The site paces it, so the test checks that the paced route is the one
 * read, not how long it took (a busy machine only makes it longer).
 */
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { useWorld } from './fixtures'
import { findArticle } from '@/demo/content'
import { waitUntil } from '../support/pages/driver'
import { PopupPage } from '../support/pages/popup'
import { StreamPage } from '../support/pages/stream'

describe('Chromium: a long paced stream', () => {
  const world = useWorld({ browser: 'chromium' })
  let popup: PopupPage
  let popupPage: Page

  test('the 900-word essay at 20 words/s completes past the worker idle limit', async () => {
    popupPage = await world.drip.openPopup()
    popup = new PopupPage(popupPage)
    await popup.setUpFunded(world.env.devnet.url)

    const page = await world.drip.context.newPage()
    await page.goto(`${world.env.demo.origin}/article/metered-reading?wps=20`)
    const stream = new StreamPage(page)
    await stream.waitForState(['pending'])
    await popupPage.bringToFront()
    await popup.approve(world.env.demo.origin, '5')
    // The waiting stream carries on by itself once the site is approved, on the route the site paces at 20 words/s.
    await page.bringToFront()
    const reading = await waitUntil(async () => world.env.demo.openReads(), (reads) => reads.length > 0, { what: 'the site to stream the article' })
    expect(reading.map((read) => read.key.split(':').at(-1))).toEqual(['/api/sessions/article/metered-reading/wps/20'])
    const view = await stream.waitForState(['complete', 'broken', 'refused', 'cap', 'stopped'], 300_000)
    const words = findArticle('metered-reading')!.words.length
    expect(view.state).toBe('complete')
    expect(view.words).toBe(words)
    await popupPage.bringToFront()
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    const [channel] = await waitUntil(() => popup.channels(), (rows) => rows.length > 0, { what: 'the channel' })
    const spent = Math.round(Number(channel!.spent.slice(1)) * 1000)
    expect(spent).toBeGreaterThanOrEqual(words)
    // The shipped sign-ahead: $0.01, ten words at $0.001.
    expect(spent).toBeLessThanOrEqual(words + 1 + 10)
  }, 360_000)

  test('when Chrome ends the worker mid-stream, the stream resumes on the same channel without paying twice', async () => {
    await popup.setSignAhead('0')
    const spent = async () => {
      await popupPage.reload()
      await popup.waitForScreen('wallet')
      const [channel] = await waitUntil(() => popup.channels(), (rows) => rows.length > 0, { what: 'the channel' })
      return Math.round(Number(channel!.spent.slice(1)) * 1000)
    }
    const before = await spent()
    const page = await world.drip.context.newPage()
    await page.goto(`${world.env.demo.origin}/article/payment-channels?wps=100`)
    const stream = new StreamPage(page)
    await waitUntil(() => stream.read(), (s) => s.words >= 100, { what: '100 words', timeoutMs: 30_000 })
    const cdp = await world.drip.context.newCDPSession(page)
    await cdp.send('ServiceWorker.enable')
    await cdp.send('ServiceWorker.stopAllWorkers')
    await waitUntil(() => stream.read(), (s) => s.state === 'reconnecting' || s.state === 'streaming', { what: 'the stream to carry on' })
    const view = await stream.waitForState(['complete', 'broken', 'refused', 'cap', 'stopped'], 120_000)
    const article = findArticle('payment-channels')!
    expect(view.state).toBe('complete')
    expect(view.words).toBe(article.words.length)
    expect(view.text.split(/\s+/).filter(Boolean)).toEqual(article.words.filter((w) => w !== '\n'))
    // Never paid twice: the resumed request starts after the words already shown, so the
    // channel's signed total cannot pass the words the reader got.
    expect((await spent()) - before).toBeLessThanOrEqual(article.words.length)
  }, 240_000)
})
