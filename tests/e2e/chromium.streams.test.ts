/**
 * Declared paid streams in real Chromium: the approved poem renders word for
 * word and costs exactly its words; an unapproved site keeps its fallback;
 * the cap ends a stream cleanly; Stop halts vouchers; a dishonest server is
 * refused; a page's EventSource at a site that sends its 402's headers
 * before the body waits for approval.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { useWorld } from './fixtures'
import { poem, poemWords } from '@/demo/content'
import { pageNoticeText, waitUntil } from '../support/pages/driver'
import { PopupPage } from '../support/pages/popup'
import { RealStreamPage } from '../support/pages/realStream'
import { StreamPage } from '../support/pages/stream'
import { startHostileProxy } from '../support/hostileProxy'

describe('Chromium: paid streams', () => {
  const world = useWorld({ browser: 'chromium', sites: { demo: { dishonest: true } } })
  let popup: PopupPage
  let popupPage: Page

  beforeAll(async () => {
    popupPage = await world.drip.openPopup()
    popup = new PopupPage(popupPage)
    await popup.setUpFunded(world.env.devnet.url)
    // These tests count every word to the unit: streams are paid exactly as delivered (the shipped $0.01 ahead is `chromium.longStream`'s).
    await popup.setSignAhead('0')
  })

  /** The reads of `path` the site holds a connection for. */
  const readsOf = (path: string) => world.env.demo.openReads().filter((read) => read.key.includes(path))

  async function open(path: string) {
    const page = await world.drip.context.newPage()
    await page.goto(`${world.env.demo.origin}${path}`)
    return { page, stream: new StreamPage(page) }
  }

  test('on an unapproved site the fallback stays, with a notice, and nothing is paid', async () => {
    const { page, stream } = await open('/poem')
    const view = await stream.waitForState(['pending'])
    expect(view.text).toContain('Two roads diverged in a yellow wood, …')
    expect(view.overlay).toBe(`${world.env.demo.origin} asks to be paid $0.001 per word. Approve it in Drip's toolbar popup.`)
    await page.close()
    const direct = await open('/api/sessions/poem')
    expect((await direct.stream.waitForState(['pending'])).text).toContain('402 — Payment required')
    await direct.page.close()
    expect(world.env.devnet.reserveEvents('ChannelOpened')).toHaveLength(0)
  })

  test('approved, /poem renders exactly the seed poem in order and costs words × $0.001', async () => {
    await popupPage.reload()
    await popup.approve(world.env.demo.origin, '0.5')
    const { page, stream } = await open('/poem')
    const view = await stream.waitForState(['complete'])
    expect(view.words).toBe(poemWords.length)
    expect(view.text.split(/\s+/).filter(Boolean)).toEqual(poemWords.filter((w) => w !== '\n'))
    expect(view.overlay).toBe('Finished: 42 words for $0.04.')
    const [channel] = await waitUntil(() => popup.channels(), (rows) => rows[0]?.spent === '$0.042', { what: 'the channel to show $0.042 spent' })
    expect(channel).toMatchObject({ spent: '$0.042' })
    await page.close()
  })

  test('Pause holds the stream at the next voucher; Resume carries on', async () => {
    const { page, stream } = await open('/article/metered-reading?wps=50')
    await waitUntil(() => stream.read(), (s) => s.words >= 5, { what: 'a few words' })
    expect((await stream.read()).overlay).toMatch(/^\d+ words · \$0\.0\d+ spent · \$0\.4\d+ left of the approval$/)
    await page.locator('drip-stream-overlay button.pause').click()
    // Paused, Drip sends no voucher: the site runs out of paid words and waits for one, with every word it sent on the page.
    const look = async () => ({ site: readsOf('metered-reading')[0]?.awaitingPaymentFor, words: (await stream.read()).words })
    let previous: Awaited<ReturnType<typeof look>> | undefined
    const held = await waitUntil(
      async () => {
        const now = await look()
        const unchanged = previous !== undefined && previous.site === now.site && previous.words === now.words
        previous = now
        return { ...now, unchanged }
      },
      // Two looks alike: the words in flight have landed.
      (now) => now.site !== undefined && now.unchanged,
      { what: 'the site to wait for a voucher, every word it sent on the page' },
    )
    // A round trip through Drip's worker (the popup reads the channel) does not release the voucher either.
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    expect(await look()).toEqual({ site: held.site, words: held.words })
    await page.locator('drip-stream-overlay button.pause').click()
    await waitUntil(() => stream.read(), (s) => s.words > held.words + 5, { what: 'the stream to carry on' })
    await page.locator('drip-stream-overlay button.stop').click()
    await stream.waitForState(['stopped'])
    await page.close()
  })

  test('Stop halts vouchers: the words and the signed amount stop growing', async () => {
    const { page, stream } = await open('/article/metered-reading?wps=20')
    await waitUntil(() => stream.read(), (s) => s.words >= 5, { what: 'a few words' })
    await page.locator('drip-stream-overlay button.stop').click()
    const stopped = await stream.waitForState(['stopped'])
    const spentNow = async () => {
      await popupPage.reload()
      await popup.waitForScreen('wallet')
      return (await waitUntil(() => popup.channels(), (rows) => rows.length > 0, { what: 'the channel list' }))[0]!.spent
    }
    const before = await spentNow()
    // Once the site has seen Drip leave, nothing can ask for another voucher or send another word.
    await waitUntil(async () => readsOf('metered-reading'), (reads) => reads.length === 0, { what: 'the site to see the stream end' })
    expect((await stream.read()).words).toBe(stopped.words)
    expect(await spentNow()).toBe(before)
    await page.close()
  })

  test('two tabs streaming at once: the second waits its turn on the shared channel, both complete, no overspend', async () => {
    const spent = async () => {
      await popupPage.reload()
      await popup.waitForScreen('wallet')
      return (await waitUntil(() => popup.channels(), (rows) => rows.length > 0, { what: 'the channel list' }))[0]!.spent
    }
    const before = Number((await spent()).slice(1))
    const [a, b] = await Promise.all([open('/poem'), open('/poem')])
    const [viewA, viewB] = await Promise.all([a.stream.waitForState(['complete'], 60_000), b.stream.waitForState(['complete'], 60_000)])
    expect([viewA.words, viewB.words]).toEqual([poemWords.length, poemWords.length])
    // No overspend: at most their 84 words. (One unit may already have been signed by the
    // stopped stream above, for the word it was about to receive; the site uses it up here.)
    const added = Math.round((Number((await spent()).slice(1)) - before) * 1000)
    expect(added).toBeLessThanOrEqual(84)
    expect(added).toBeGreaterThanOrEqual(83)
    await Promise.all([a.page.close(), b.page.close()])
  })

  test('opening /api/sessions/poem directly shows a paid reader view', async () => {
    const { page, stream } = await open('/api/sessions/poem')
    const view = await stream.waitForState(['complete'])
    expect(view.words).toBe(poemWords.length)
    // The reader view is titled by the stream's own header.
    expect(await page.evaluate(() => document.querySelector('main h1')?.textContent)).toBe(`${poem.title} — ${poem.author}`)
    await page.close()
  })

  test('a site approved once (for its words) shows its photo with no new question: one approval covers every unit within the per-payment limit', async () => {
    const { page, stream } = await open('/api/sessions/photo')
    await stream.waitForState(['complete'])
    expect(await popup.pendingOrigins()).toEqual([])
    const src = await page.evaluate(() => document.querySelector<HTMLImageElement>('[data-mpp-stream] img')?.src)
    expect(src).toMatch(new RegExp(`^${world.env.demo.origin}/photos/\\d+\\.svg$`))
    await page.close()
  })

  test('a server that asks for more than it delivered gets no signature, and the reader is told', async () => {
    const { page, stream } = await open('/dishonest')
    const view = await stream.waitForState(['refused'])
    expect(view.overlay).toContain('Drip stopped paying this stream.')
    await page.close()
  })

  test('the cap ends a stream cleanly with a clear message', async () => {
    // About $0.5 of the approval is left; the 2,000-word article costs more than that.
    const { page, stream } = await open('/article/payment-channels')
    const view = await stream.waitForState(['cap'], 90_000)
    expect(view.overlay).toBe(`Reached the $0.50 you approved for ${world.env.demo.origin}. Raise the approval in Drip to read on.`)
    await popupPage.bringToFront()
    const [channel] = await waitUntil(() => popup.channels(), (rows) => rows[0]?.spent === '$0.5', { what: 'the channel at its cap' })
    expect(channel).toMatchObject({ spent: '$0.5', remaining: '$0' })
    await page.close()
  })

  test('a site that sends its 402’s headers before the body (as streaming servers do): the page’s EventSource waits for approval, then reads the whole poem', async () => {
    // The browser drops such an EventSource before the 402's body arrives; its request ends in an error after the 402 was seen.
    const site = await startHostileProxy(world.env.demo.origin, { lagChallengeBodyMs: 300 })
    try {
      const page = await world.drip.context.newPage()
      await page.goto(`${site.origin}/real/poem`)
      const notice = await waitUntil(() => pageNoticeText(page), Boolean, { what: "Drip's notice in the page" })
      expect(notice).toMatch(/^Waiting for your approval in Drip/)
      await popupPage.reload()
      expect(await popup.approve(site.origin, 'as pre-filled')).toBe('5')
      const view = await new RealStreamPage(page).waitForState(['complete'])
      expect(view.words).toBe(poemWords.length)
      await page.close()
    } finally {
      await site.close()
    }
  })
})
