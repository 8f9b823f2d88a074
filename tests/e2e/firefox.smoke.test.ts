import { describe, expect, test } from 'vitest'
import { useWorld } from './fixtures'
import { startTestSite } from '../support/testSite'
import { startHostileProxy } from '../support/hostileProxy'
import { clickWhenReady, pageNoticeText, waitUntil } from '../support/pages/driver'
import { GalleryPage } from '../support/pages/gallery'
import { MediaPage } from '../support/pages/media'
import { PopupPage, walletMarker } from '../support/pages/popup'
import { RealStreamPage } from '../support/pages/realStream'
import { StreamPage } from '../support/pages/stream'
import { findArticle, poemWords } from '@/demo/content'

describe('Firefox: Drip onboards, pays a photo and streams the poem, and pays pages that know nothing of Drip', () => {
  // Every host name resolves to this machine, so the demo is visited as a site by name, as readers' sites are. Firefox
  // treats a loopback address as secure and an http site by name as not: Drip's own requests to such a site were
  // upgraded to https (and failed) until the extension pages' policy said otherwise (`wxt.config.ts`).
  const world = useWorld({ browser: 'firefox', firefoxPrefs: { 'network.dns.forceResolve': '127.0.0.1' } })
  const demoOrigin = () => world.env.demo.origin.replace('//127.0.0.1:', '//drip-demo.test:')
  /** The recovery phrase of the account the first test creates. */
  let phrase: string

  test('the content script runs on a localhost page (it takes up a declared stream), and a site not approved gets no mark of Drip', async () => {
    const site = await startTestSite()
    try {
      const page = await world.drip.browser.newPage()
      await page.goto(`${site.origin}/declared`)
      const state = () => page.evaluate(() => document.getElementById('declared')?.getAttribute('data-mpp-state') ?? null)
      expect(await waitUntil(state, (v) => v !== null, { what: "Drip's content script to take up the declared stream" })).toBeTruthy()
      expect(await walletMarker(page)).toBeNull()
    } finally {
      await site.close()
    }
  })

  test('onboarding, the chain status of a running RPC, test funds, approval and one paid photo', async () => {
    const popupPage = await world.drip.openPopup()
    const popup = new PopupPage(popupPage)
    phrase = await popup.createAccount('correct horse battery')
    await popup.setRpcUrl(world.env.devnet.url)
    await popup.tab('Home')
    const view = await popup.waitForState('live', world.env.devnet.url)
    expect(view.chainId).toBe('1337')
    expect(PopupPage.blockNumber(view)).toBeGreaterThanOrEqual(0)
    expect(await popup.fund()).toBe('$1,000.00')
    // This test counts the poem's words to the unit: paid exactly as delivered.
    await popup.setSignAhead('0')

    const page = await world.drip.browser.newPage()
    await page.goto(`${demoOrigin()}/gallery`)
    const gallery = new GalleryPage(page)
    await gallery.askUnapproved()
    // A reader opens the popup to approve; hidden tabs do not poll.
    await popupPage.bringToFront()
    await popup.approve(demoOrigin(), '1')
    await page.bringToFront()
    // The photo that waited for the approval shows with no second click.
    expect((await gallery.waitForPhotos(1)).photos).toBe(1)
    await popupPage.bringToFront()
    const [channel] = await waitUntil(() => popup.channels(), (rows) => rows[0]?.spent === '$0.01', { what: 'the channel row' })
    expect(channel).toMatchObject({ deposit: '$1', spent: '$0.01', remaining: '$0.99', status: 'open' })

    // The poem is priced per word: the same site, approved once, so it is read with no new question.
    const poemPage = await world.drip.browser.newPage()
    await poemPage.goto(`${demoOrigin()}/poem`)
    const poem = await new StreamPage(poemPage).waitForState(['complete'], 60_000)
    expect(poem.words).toBe(poemWords.length)
    expect(poem.text.split(/\s+/).filter(Boolean)).toEqual(poemWords.filter((w) => w !== '\n'))
    // Photos stay approved beside words: the gallery pays its next photo on the same channel.
    await page.bringToFront()
    await gallery.nextPhoto()
    expect((await waitUntil(() => gallery.view(), (v) => v.photos === 2, { what: 'a second paid photo', timeoutMs: 30_000 })).photos).toBe(2)
  })

  test('pages that know nothing of Drip: EventSource, streaming fetch, axios and a WebSocket, each paid to the unit', async () => {
    const popupPage = await world.drip.openPopup()
    const popup = new PopupPage(popupPage)
    const spent = async () => {
      await popupPage.bringToFront()
      return popup.signedOnFirstChannel()
    }
    const open = async (path: string) => {
      const page = await world.drip.browser.newPage()
      await page.goto(`${demoOrigin()}${path}`)
      return page
    }
    let before = await spent()
    for (const path of ['/real/poem', '/real/poem-fetch']) {
      const page = await open(path)
      const view = await new RealStreamPage(page).waitForState(['complete', 'unpaid', 'broken'], 60_000)
      expect(view.state, `${path}: ${view.status}`).toBe('complete')
      expect(view.words, path).toBe(poemWords.length)
      await page.close()
      const words = BigInt(poemWords.length) * 1_000n
      const now = await waitUntil(spent, (value) => value >= before + words, { what: `the spend of ${path}` })
      expect(now - before, path).toBe(words)
      before = now
    }
    // The streaming fetch page in a new tab, then reloaded: the URL the tab paid goes straight to Drip, with no second 402.
    const reloading = await world.drip.browser.newPage()
    const statuses: number[] = []
    reloading.on('response', (response) => {
      if (new URL(response.url()).pathname === '/api/sessions/poem') statuses.push(response.status())
    })
    await reloading.goto(`${demoOrigin()}/real/poem-fetch`)
    expect((await new RealStreamPage(reloading).waitForState(['complete', 'unpaid', 'broken'], 60_000)).words).toBe(poemWords.length)
    await reloading.reload()
    const reloaded = await new RealStreamPage(reloading).waitForState(['complete', 'unpaid', 'broken'], 60_000)
    expect(reloaded.state, reloaded.status).toBe('complete')
    expect(reloaded.words).toBe(poemWords.length)
    expect(statuses).toEqual([402])
    await reloading.close()
    const twice = BigInt(poemWords.length) * 2_000n
    const afterReload = await waitUntil(spent, (value) => value >= before + twice, { what: 'the spend of the page and its reload' })
    expect(afterReload - before).toBe(twice)
    before = afterReload
    const page = await open('/real/gallery')
    const gallery = new GalleryPage(page)
    const view = await gallery.showPhotos(2)
    expect(view.photos, view.status).toBe(2)
    const afterPhotos = await waitUntil(spent, (value) => value >= before + 20_000n, { what: 'the spend of two photos' })
    expect(afterPhotos - before).toBe(20_000n)
    // The ticker makes its socket in its first script, before Drip could answer the page: only the script registered
    // for the approved site (`payingSiteScript.ts`, a pattern without the port in Firefox) has it probed and paid.
    const ticker = await open('/real/ticker?ticks=10')
    const tickerView = () =>
      ticker.evaluate(() => ({ state: document.getElementById('price')!.dataset.state, ticks: Number(document.getElementById('price')!.dataset.ticks), status: document.getElementById('status')!.textContent }))
    const done = await waitUntil(tickerView, (v) => v.ticks > 0 && v.state !== 'open', { what: 'the ticker to close', timeoutMs: 30_000 })
    expect(done, done.status ?? '').toMatchObject({ state: 'complete', ticks: 10 })
    await ticker.close()
    // Ten ticks at $0.001, paid as delivered (this file signs nothing ahead).
    expect((await waitUntil(spent, (value) => value >= afterPhotos + 10_000n, { what: 'the spend of ten ticks' })) - afterPhotos).toBe(10_000n)
  })

  test('paid media (plain <img> at 402 URLs and an <audio> clip) and a one-shot charge, no click but "Buy"', async () => {
    const media = await world.drip.browser.newPage()
    await media.goto(`${demoOrigin()}/real/media`)
    expect((await new MediaPage(media).waitForPaid()).images).toHaveLength(4)
    await media.close()
    const buy = await world.drip.browser.newPage()
    await buy.goto(`${demoOrigin()}/real/buy/metered-reading`)
    const charges = () => world.env.devnet.memoTransfers(world.env.demo.recipient).map((t) => t.amount)
    expect(charges()).toEqual([])
    await clickWhenReady(buy, 'Buy this article for $0.05')
    const article = () => buy.evaluate(() => ({ state: document.getElementById('text')!.dataset.state, status: document.getElementById('status')!.textContent, text: document.getElementById('text')!.textContent }))
    const bought = await waitUntil(article, (v) => v.state !== 'unpaid' && v.state !== 'idle', { what: 'the article' })
    expect(bought.state, bought.status ?? '').toBe('bought')
    expect(bought.text).toBe(findArticle('metered-reading')!.words.join(' '))
    expect(charges()).toEqual([50_000n])
    await buy.close()
  })

  test('another site’s paid API over CORS: the pending request names both origins, shown by a popup left in the background; once approved, the waiting photo and the next are paid; a POST with a binary body is paid too', async () => {
    // The demo's photo API answers its other host name over CORS: the page on 127.0.0.1, the API on localhost.
    const pageOrigin = world.env.demo.origin
    const api = pageOrigin.replace('127.0.0.1', 'localhost')
    const popupPage = await world.drip.openPopup()
    const popup = new PopupPage(popupPage)
    await popup.waitForScreen('wallet')
    const page = await world.drip.browser.newPage()
    await page.goto(`${pageOrigin}/real/gallery-api`)
    const gallery = new GalleryPage(page)
    await gallery.nextPhoto()
    // Not brought to front: Firefox headless never shows the popup's page, so only Drip's storage tells it (`storageFollow.ts`).
    expect(await waitUntil(() => popup.text('[data-testid="api-origin"]'), Boolean, { what: 'the API origin' })).toBe(`${api}, another site this page calls`)
    // The reader looks at the popup to approve (in a hidden page puppeteer's typing waits seconds for animation frames).
    await popupPage.bringToFront()
    await popup.approve(pageOrigin, '1')
    // The photo asked for before Approve waited for it, and shows with no second click.
    expect((await waitUntil(() => gallery.view(), (v) => v.photos === 1 || /Could not|402/.test(v.status), { what: 'the waiting photo' })).photos).toBe(1)
    expect((await gallery.showPhotos(1)).photos).toBe(2)
    await page.close()
    // The popup shows the spend once it has stored the second photo's count; more than $0.02 would be an overspend.
    const limits = await waitUntil(() => popup.siteLimits(), (sites) => /spent \$0\.0[2-9]/.test(sites[pageOrigin] ?? ''), { what: 'the second photo in the spend' })
    expect(limits[pageOrigin]).toMatch(/spent \$0\.02 of \$1\.00$/)

    // The site's own gallery, then a revoke while it is open: the page loses Drip's mark and the URL its tab kept.
    const own = await world.drip.browser.newPage()
    await own.goto(`${pageOrigin}/real/gallery`)
    const ownGallery = new GalleryPage(own)
    expect((await ownGallery.showPhotos(1)).photos).toBe(1)
    // A POST's body crosses the content script (Firefox's wrappers of page objects) and the runtime port as bytes.
    expect(await ownGallery.postBinaryPhoto()).toEqual([200, 'string'])
    const traces = () => own.evaluate(() => ({ mark: document.documentElement.getAttribute('data-mpp-wallet'), keptUrls: sessionStorage.getItem('drip:paid-urls') !== null }))
    expect(await traces()).toEqual({ mark: 'drip', keptUrls: true })
    await popupPage.bringToFront()
    await popup.revoke(pageOrigin)
    await waitUntil(traces, (t) => t.mark === null && !t.keptUrls, { what: 'the page to lose Drip’s traces' })
    await own.close()
  })

  test('a site that sends its 402’s headers before the body: the page’s EventSource waits for approval, then reads the whole poem', async () => {
    const site = await startHostileProxy(world.env.demo.origin, { lagChallengeBodyMs: 300 })
    try {
      const page = await world.drip.browser.newPage()
      await page.goto(`${site.origin}/real/poem`)
      const notice = await waitUntil(() => pageNoticeText(page), Boolean, { what: "Drip's notice in the page" })
      expect(notice).toMatch(/^Waiting for your approval in Drip/)
      const popup = new PopupPage(await world.drip.openPopup())
      await popup.waitForScreen('wallet')
      await popup.approve(site.origin, '1')
      await page.bringToFront()
      const view = await new RealStreamPage(page).waitForState(['complete', 'unpaid', 'broken'], 60_000)
      expect(view.state, view.status).toBe('complete')
      expect(view.words).toBe(poemWords.length)
    } finally {
      await site.close()
    }
  })

  test('restore from the recovery phrase (the same account), then a daily budget of $0.01 pays one photo and refuses the next', async () => {
    const popupPage = await world.drip.openPopup()
    const popup = new PopupPage(popupPage)
    await popup.waitForScreen('wallet')
    const address = await popup.address()
    await popup.tab('Settings')
    await popupPage.locator('input[name="resetConfirmation"]').fill('RESET')
    await clickWhenReady(popupPage, 'Reset wallet')
    await popup.importAccount(phrase, 'correct horse battery')
    expect(await popup.address()).toBe(address)

    const page = await world.drip.browser.newPage()
    await page.goto(`${demoOrigin()}/gallery`)
    const gallery = new GalleryPage(page)
    await gallery.askUnapproved()
    await popupPage.bringToFront()
    await popup.tab('Home')
    await popup.approve(demoOrigin(), '1')
    await page.bringToFront()
    expect((await gallery.waitForPhotos(1)).photos).toBe(1)
    await popupPage.bringToFront()
    await popup.tab('Sites')
    const form = `form[aria-label="Budget for ${demoOrigin()}"]`
    await waitUntil(() => popup.text(form), (t) => t !== '', { what: 'the budget form' })
    await popupPage.locator(`${form} input[name="siteDaily"]`).fill('0.01')
    await clickWhenReady(popupPage, 'Save budget', form)
    await waitUntil(() => popup.text('[data-testid="site-spent-period"]'), (t) => t.startsWith('Spent today'), { what: 'the saved budget' })
    await page.bringToFront()
    await gallery.nextPhoto()
    expect((await gallery.waitForStatus((s) => s.startsWith('402'), 'the refusal')).photos).toBe(1)
    await popupPage.bringToFront()
    await popup.tab('Sites')
    expect(await waitUntil(() => popup.text('[data-testid="site-spent-period"]'), (t) => t.includes('$0.01'), { what: 'the spend' })).toBe('Spent today $0.01, this month $0.01')
  })
})
