/**
 * Pages written the way sites write them (`demo/realPages.ts`: their own
 * EventSource, streaming fetch and axios, no Drip markup), in Chromium with
 * the built Drip: words and photos delivered, and spend to the unit. The
 * demo is served over https and wss:, as readers' sites are.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { findArticle, poem, poemWords } from '@/demo/content'
import { useWorld } from './fixtures'
import { clickWhenReady, waitUntil } from '../support/pages/driver'
import { GalleryPage } from '../support/pages/gallery'
import { MediaPage } from '../support/pages/media'
import { PopupPage, walletMarker } from '../support/pages/popup'
import { RealStreamPage } from '../support/pages/realStream'
import { StreamPage } from '../support/pages/stream'
import { selfSignedTls } from '../support/tls'

describe('Chromium: pages that know nothing of Drip', () => {
  // Served over https (and wss:), as readers' sites are; the certificate is the test's own.
  const world = useWorld({ browser: 'chromium', sites: { demo: { tls: selfSignedTls() } }, chromiumArgs: ['--ignore-certificate-errors'] })
  let popup: PopupPage
  let popupPage: Page

  beforeAll(async () => {
    popupPage = await world.drip.openPopup()
    popup = new PopupPage(popupPage)
    await popup.setUpFunded(world.env.devnet.url)
    // These tests count every word to the unit: streams are paid exactly as delivered (the shipped $0.01 ahead is `chromium.longStream`'s).
    await popup.setSignAhead('0')
  })

  /** What Drip has signed to the demo site, in raw units, once its channel exists. */
  async function signed(): Promise<bigint> {
    await popupPage.bringToFront()
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    return popup.signedOnFirstChannel()
  }

  async function open(path: string) {
    const page = await world.drip.context.newPage()
    await page.goto(`${world.env.demo.origin}${path}`)
    return page
  }

  /** Opens `path`, listing the statuses of the page's own requests to `apiPath` (Drip's worker's requests are not the page's). */
  async function openWatching(path: string, apiPath: string) {
    const page = await world.drip.context.newPage()
    const statuses: number[] = []
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === apiPath) statuses.push(response.status())
    })
    await page.goto(`${world.env.demo.origin}${path}`)
    return { page, statuses }
  }

  let waiting: { eventSource: Page; declared: Page; link: Page }

  test('unapproved: the EventSource page, a declared stream and a paywalled link wait, each saying so; nothing is paid', async () => {
    waiting = { eventSource: await open('/real/poem'), declared: await open('/poem'), link: await open('/api/sessions/poem') }
    expect(await waiting.eventSource.evaluate(() => location.protocol)).toBe('https:')
    const notice = await waitUntil(() => waiting.eventSource.locator('drip-page-notice').getAttribute('data-text'), (text) => Boolean(text), { what: "Drip's notice in the page" })
    expect(notice).toMatch(/^Waiting for your approval in Drip \(up to 1 minute\); the page carries on when you approve\. .* asks to be paid \$0\.001 per word\./)
    expect((await new RealStreamPage(waiting.eventSource).read()).state).toBe('connecting')
    await new StreamPage(waiting.declared).waitForState(['pending'])
    await new StreamPage(waiting.link).waitForState(['pending'])
    expect(world.env.devnet.reserveEvents('ChannelOpened')).toHaveLength(0)
    // Not approved: the page cannot tell the reader runs Drip.
    expect(await walletMarker(waiting.eventSource)).toBeNull()
  })

  test('approving as pre-filled ($5 for the site): all three carry on by themselves, with no reload and no click (the link titled by its stream); the waiting notice goes', async () => {
    await popupPage.reload()
    expect(await popup.approve(world.env.demo.origin, 'as pre-filled')).toBe('5')
    const declared = await new StreamPage(waiting.declared).waitForState(['complete'])
    expect(declared.words).toBe(poemWords.length)
    const link = await new StreamPage(waiting.link).waitForState(['complete'])
    expect(link.words).toBe(poemWords.length)
    expect(await waiting.link.evaluate(() => document.querySelector('main h1')?.textContent)).toBe(`${poem.title} — ${poem.author}`)
    const view = await new RealStreamPage(waiting.eventSource).waitForState(['complete'])
    expect(view.words).toBe(poemWords.length)
    expect(await waiting.eventSource.locator('drip-page-notice').count()).toBe(0)
    // Approved: now the site may know, without a reload.
    expect(await waitUntil(() => walletMarker(waiting.eventSource), (v) => v !== null, { what: 'the wallet mark' })).toBe('drip')
    for (const page of Object.values(waiting)) await page.close()
  })

  test('EventSource: the page’s own new EventSource() reads the whole seed poem, once, for words × $0.001', async () => {
    const before = await signed()
    const page = await open('/real/poem')
    const view = await new RealStreamPage(page).waitForState(['complete'])
    expect(view.words).toBe(poemWords.length)
    expect(view.title).toBe(`${poem.title} — ${poem.author}`)
    expect(view.text.split(/\s+/).filter(Boolean)).toEqual(poemWords.filter((w) => w !== '\n'))
    // Completed means closed: the page's EventSource is CLOSED (it never reconnects) and the site holds no read of the poem.
    expect(await page.evaluate('source.readyState')).toBe(2)
    await waitUntil(async () => world.env.demo.openReads().filter((read) => read.key.endsWith('/api/sessions/poem')), (reads) => reads.length === 0, { what: 'the site to end the poem' })
    expect((await new RealStreamPage(page).read()).words).toBe(poemWords.length)
    await page.close()
    expect((await signed()) - before).toBe(BigInt(poemWords.length) * 1_000n)
  })

  test('streaming fetch: the page reads an article through response.body, every word, no payment events, words × $0.001', async () => {
    const article = findArticle('metered-reading')!
    const before = await signed()
    const page = await open('/real/article/metered-reading')
    // About 900 words, each waiting for a voucher round trip at the default sign-ahead: about 20 s here, longer on a busy machine.
    const view = await new RealStreamPage(page).waitForState(['complete'], 300_000)
    expect(view.words).toBe(article.words.length)
    expect(view.sawNamedEvent).toBe(false)
    await page.close()
    expect((await signed()) - before).toBe(BigInt(article.words.length) * 1_000n)
  }, 360_000)

  test('a reload of a page whose stream Drip paid: the page’s request goes straight to Drip, with no second 402 from the site, and every word is read and paid once', async () => {
    const before = await signed()
    const { page, statuses } = await openWatching('/real/poem-fetch', '/api/sessions/poem')
    expect((await new RealStreamPage(page).waitForState(['complete'])).words).toBe(poemWords.length)
    expect(statuses).toEqual([402])
    await page.reload()
    expect((await new RealStreamPage(page).waitForState(['complete'])).words).toBe(poemWords.length)
    // The reloaded page asked the site nothing itself: Drip's worker made its paid request.
    expect(statuses).toEqual([402])
    await page.close()
    expect((await signed()) - before).toBe(2n * BigInt(poemWords.length) * 1_000n)
  })

  test('axios (XMLHttpRequest): the site approved once (for its words) shows its photos too: three clicks, three photos for $0.03, no new question; only the first asks the site; a POST with a binary body is paid too', async () => {
    const before = await signed()
    const { page, statuses } = await openWatching('/real/gallery', '/api/sessions/photo')
    const gallery = new GalleryPage(page)
    const view = await gallery.showPhotos(3)
    expect(view.photos, view.status).toBe(3)
    // The next two went straight to Drip, paid on the challenge of the first's 402.
    expect(statuses).toEqual([402])
    // A POST's body crosses Drip's ports as bytes (Chrome's runtime ports clone them only with the manifest's
    // `message_serialization`; as JSON they would arrive as an object, and Drip would refuse the request).
    expect(await gallery.postBinaryPhoto()).toEqual([200, 'string'])
    await page.close()
    expect((await signed()) - before).toBe(40_000n)
    expect(await popup.pendingOrigins()).toEqual([])
  })

  test('another site’s paid API over CORS (its challenge hidden from the page): a pending request naming both origins; once approved, photos for $0.01 each, paid to that API', async () => {
    const api = world.env.demo.origin.replace('127.0.0.1', 'localhost')
    const page = await open('/real/gallery-api')
    const gallery = new GalleryPage(page)
    const before = await signed()
    await gallery.nextPhoto()
    await popupPage.bringToFront()
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    expect(await waitUntil(() => popupPage.locator('[data-testid="api-origin"]').textContent(), (text) => Boolean(text), { what: 'the API origin' })).toBe(
      `${api}, another site this page calls`,
    )
    await popup.approve(world.env.demo.origin, 'as pre-filled')
    await page.bringToFront()
    // The photo asked for before Approve waited for it, and shows with no second click.
    expect((await waitUntil(() => gallery.view(), (v) => v.photos === 1 || /Could not|402/.test(v.status), { what: 'the waiting photo' })).photos).toBe(1)
    const view = await gallery.showPhotos(1)
    expect(view.photos, view.status).toBe(2)
    await page.close()
    expect((await signed()) - before).toBe(20_000n)
  })

  test('paid media: plain <img> at a 402 URL and the <audio> clip ($0.05, within the per-payment limit) are paid and shown, no click', async () => {
    const before = await signed()
    const page = await open('/real/media')
    const shown = await new MediaPage(page).waitForPaid()
    expect(shown.images).toHaveLength(4)
    await page.close()
    expect((await signed()) - before).toBe(40_000n + 50_000n)
  })
  test('one-shot charge: "Buy" ($0.05, within the per-payment limit) buys the whole article with that one click, $0.05 moved on chain', async () => {
    const page = await open('/real/buy/metered-reading')
    const view = () =>
      page.evaluate(() => ({ state: document.getElementById('text')!.dataset.state, status: document.getElementById('status')!.textContent, text: document.getElementById('text')!.textContent }))
    const charges = () => world.env.devnet.memoTransfers(world.env.demo.recipient).map((t) => t.amount)
    expect(charges()).toEqual([])
    await clickWhenReady(page, 'Buy this article for $0.05')
    const bought = await waitUntil(view, (v) => v.state !== 'unpaid' && v.state !== 'idle', { what: 'the article' })
    expect(bought.state, bought.status ?? '').toBe('bought')
    expect(bought.text).toBe(findArticle('metered-reading')!.words.join(' '))
    expect(charges()).toEqual([50_000n])
    await page.close()
  })
  /** The sign-ahead these tests set (`beforeAll`), in units. */
  const signAheadUnits = 0

  test('WebSocket: the page’s own new WebSocket() to the live ticker gets all 30 ticks, paid in-band, 30 × $0.001; Stop closes it', async () => {
    const before = await signed()
    const page = await open('/real/ticker?ticks=30')
    const view = () =>
      page
        .evaluate(() => ({ state: document.getElementById('price')!.dataset.state, ticks: Number(document.getElementById('price')!.dataset.ticks), status: document.getElementById('status')!.textContent }))
        .catch(() => ({ state: 'reloading', ticks: 0, status: '' }))
    // The tick is a unit the site had not charged before: paid under the same approval, no question.
    const done = await waitUntil(view, (v) => v.ticks > 0 && v.state !== 'open', { what: 'the ticker to close', timeoutMs: 30_000 })
    expect(done, done.status ?? '').toMatchObject({ state: 'complete', ticks: 30 })
    await page.close()
    const spent = (await signed()) - before
    // Vouchers follow the ticks delivered, plus at most the sign-ahead setting.
    expect(spent).toBeGreaterThanOrEqual(30_000n)
    expect(spent).toBeLessThanOrEqual(BigInt(30 + signAheadUnits) * 1_000n)

    const live = await open('/real/ticker?ticks=1000')
    const liveView = () => live.evaluate(() => ({ state: document.getElementById('price')!.dataset.state, ticks: Number(document.getElementById('price')!.dataset.ticks) }))
    await waitUntil(liveView, (v) => v.ticks >= 5, { what: 'five live ticks' })
    await clickWhenReady(live, 'Stop the ticker')
    const stopped = await waitUntil(liveView, (v) => v.state !== 'open', { what: 'the ticker to stop' })
    const atStop = await signed()
    // Once the site has seen the socket close, nothing can ask for another voucher.
    await waitUntil(async () => world.env.demo.openSockets(), (open) => open === 0, { what: 'the site to see the ticker close' })
    expect(await signed()).toBe(atStop)
    expect(atStop - before - spent).toBeLessThanOrEqual(BigInt(stopped.ticks + 1 + signAheadUnits) * 1_000n)
    await live.close()
  })

  test('after every technique, one approval of the page’s site and one of its API: nothing else asked, the cap and the limit as approved', async () => {
    await popupPage.bringToFront()
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    expect(await popup.pendingOrigins()).toEqual([])
    const sites = await popup.siteLimits()
    expect(Object.keys(sites)).toEqual([world.env.demo.origin])
    expect(sites[world.env.demo.origin]).toMatch(/no single payment above \$0\.10 · spent \$[\d.,]+ of \$5\.00$/)
  })

  // Last: it revokes the demo site.
  test('revoked from the popup while its gallery is open: the page loses Drip’s mark and the URL its tab kept; its next photo asks the site, and the reader again', async () => {
    const { page, statuses } = await openWatching('/real/gallery', '/api/sessions/photo')
    expect((await new GalleryPage(page).showPhotos(1)).photos).toBe(1)
    const traces = () => page.evaluate(() => ({ mark: document.documentElement.getAttribute('data-mpp-wallet'), keptUrls: sessionStorage.getItem('drip:paid-urls') !== null }))
    expect(await traces()).toEqual({ mark: 'drip', keptUrls: true })
    const before = await signed()
    await popup.revoke(world.env.demo.origin)
    await waitUntil(traces, (t) => t.mark === null && !t.keptUrls, { what: 'the page to lose Drip’s traces' })
    // The photo's URL goes to the site, not straight to Drip; its 402 waits for the reader, as a new site's would.
    void page.evaluate(() => void fetch('/api/sessions/photo'))
    await waitUntil(async () => statuses, (seen) => seen.length === 2, { what: 'the next photo’s request' })
    expect(statuses).toEqual([402, 402])
    await popup.tab('Home')
    expect(await waitUntil(() => popup.pendingOrigins(), (origins) => origins.length > 0, { what: 'the site to ask again' })).toEqual([world.env.demo.origin])
    await page.close()
    expect(await signed()).toBe(before)
  })
})
