/**
 * Pages written the way sites write them (`demo/realPages.ts`: their own
 * EventSource, streaming fetch and axios, no Drip markup), in Chromium with
 * the built Drip: words and photos delivered, and spend to the unit.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { findArticle, poem, poemWords } from '@/demo/content'
import { useWorld } from './fixtures'
import { waitUntil } from '../support/pages/driver'
import { GalleryPage } from '../support/pages/gallery'
import { PopupPage } from '../support/pages/popup'
import { RealStreamPage } from '../support/pages/realStream'

describe('Chromium: pages that know nothing of Drip', () => {
  const world = useWorld({ browser: 'chromium' })
  let popup: PopupPage
  let popupPage: Page

  beforeAll(async () => {
    popupPage = await world.drip.openPopup()
    popup = new PopupPage(popupPage)
    await popup.setUpFunded(world.env.devnet.url)
  })

  /** What Drip has signed to the demo site, in raw units, once its channel exists. */
  async function signed(): Promise<bigint> {
    await popupPage.bringToFront()
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    const rows = await waitUntil(() => popup.channels(), (r) => r.length > 0, { what: 'the channel row' })
    return BigInt(Math.round(Number(rows[0]!.spent.replace('$', '')) * 1e6))
  }

  async function open(path: string) {
    const page = await world.drip.context.newPage()
    await page.goto(`${world.env.demo.origin}${path}`)
    return page
  }

  test('unapproved: the EventSource page gets the 402 as its own error, and Drip a pending request; nothing is paid', async () => {
    const page = await open('/real/poem')
    const view = await new RealStreamPage(page).waitForState(['unpaid'])
    expect(view.status).toBe('402 — this poem needs an MPP wallet (Drip)')
    await page.close()
    expect(world.env.devnet.reserveEvents('ChannelOpened')).toHaveLength(0)
  })

  test('EventSource: the page’s own new EventSource() reads the whole seed poem, once, for words × $0.001', async () => {
    await popupPage.reload()
    await popup.approve(world.env.demo.origin, '5')
    const page = await open('/real/poem')
    const view = await new RealStreamPage(page).waitForState(['complete'])
    expect(view.words).toBe(poemWords.length)
    expect(view.title).toBe(`${poem.title} — ${poem.author}`)
    expect(view.text.split(/\s+/).filter(Boolean)).toEqual(poemWords.filter((w) => w !== '\n'))
    // Completed means closed: no reconnect reads (and pays for) the poem again.
    await new Promise((resolve) => setTimeout(resolve, 4_000))
    expect((await new RealStreamPage(page).read()).words).toBe(poemWords.length)
    await page.close()
    expect(await signed()).toBe(BigInt(poemWords.length) * 1_000n)
  })

  test('streaming fetch: the page reads an article through response.body, every word, no payment events, words × $0.001', async () => {
    const article = findArticle('metered-reading')!
    const before = await signed()
    const page = await open('/real/article/metered-reading')
    const view = await new RealStreamPage(page).waitForState(['complete'], 60_000)
    expect(view.words).toBe(article.words.length)
    expect(view.sawNamedEvent).toBe(false)
    await page.close()
    expect((await signed()) - before).toBe(BigInt(article.words.length) * 1_000n)
  })

  test('axios (XMLHttpRequest): the photo unit is a new pending request; once approved, three clicks show three photos for $0.03', async () => {
    const page = await open('/real/gallery')
    const gallery = new GalleryPage(page)
    await gallery.nextPhoto()
    await gallery.waitForStatus((s) => s.startsWith('402'), 'the 402 message')
    await popupPage.bringToFront()
    await popupPage.reload()
    // One cap covers the site's words and photos: $2.07 of it is spent already.
    await popup.approve(world.env.demo.origin, '10')
    const before = await signed()
    await page.bringToFront()
    for (let i = 1; i <= 3; i++) {
      await gallery.nextPhoto()
      await waitUntil(() => gallery.view(), (v) => v.photos === i || /Could not|402/.test(v.status), { what: `photo ${i}` })
    }
    const view = await gallery.view()
    expect(view.photos, view.status).toBe(3)
    await page.close()
    expect((await signed()) - before).toBe(30_000n)
  })
})
