/**
 * A reload while a site's first payment opens its channel: right after
 * Approve, and at 0–1,000 ms after a page on an approved site (its channel
 * closed) starts its open. Every reloaded page reads the whole poem; each
 * round opens exactly one channel on chain; the popup lists only channels
 * the chain has (`openingChannels.ts`). The issue saw HTTP 410 for good at
 * ~¼ s, and an "Open" channel that was never on chain.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { useWorld } from './fixtures'
import { poemWords } from '@/demo/content'
import { waitUntil } from '../support/pages/driver'
import { PopupPage } from '../support/pages/popup'
import { StreamPage } from '../support/pages/stream'

describe('Chromium: reloads during the first payment', () => {
  const world = useWorld({ browser: 'chromium' })
  let popup: PopupPage
  let popupPage: Page
  let page: Page

  beforeAll(async () => {
    popupPage = await world.drip.openPopup()
    popup = new PopupPage(popupPage)
    await popup.setUpFunded(world.env.devnet.url)
    page = await world.drip.context.newPage()
  })

  /** Reloads the poem `delayMs` after `start`, then waits for the reloaded page to read it all. */
  async function reloadAfter(delayMs: number, start: () => Promise<unknown>) {
    const opened = world.env.devnet.reserveEvents('ChannelOpened').length
    await start()
    await new Promise((resolve) => setTimeout(resolve, delayMs))
    await page.reload()
    const view = await new StreamPage(page).waitForState(['complete', 'broken', 'refused', 'cap', 'stopped', 'pending'], 60_000)
    expect(view.state, `reloaded ${delayMs} ms in: ${view.overlay}`).toBe('complete')
    expect(view.words).toBe(poemWords.length)
    expect(world.env.devnet.reserveEvents('ChannelOpened').length - opened, `channels opened, reloaded ${delayMs} ms in`).toBe(1)
    await popupPage.bringToFront()
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    // Every channel listed is one the chain has: closed ones, and the open one of this round.
    const onChain = new Set(world.env.devnet.reserveEvents('ChannelOpened').map((event) => event.args.channelId.toLowerCase()))
    const listed = await waitUntil(() => popup.channels(), (rows) => rows.some((row) => row.status === 'open'), { what: 'the open channel' })
    expect(listed.filter((row) => row.status === 'open')).toHaveLength(1)
    const ids = await popupPage.evaluate(() => [...document.querySelectorAll('[data-testid="channel"]')].map((row) => /Channel (0x[0-9a-fA-F]{64})/.exec(row.textContent ?? '')?.[1] ?? ''))
    expect(ids.every(Boolean), 'every listed channel names its id').toBe(true)
    for (const id of ids) expect(onChain.has(id.toLowerCase()), `${id} is on chain`).toBe(true)
    // The next round's first payment opens a new channel.
    await popup.closeChannel(world.env.demo.origin)
    await page.bringToFront()
  }

  test('a reload ¼ s after Approve', async () => {
    await page.goto(`${world.env.demo.origin}/poem`)
    await new StreamPage(page).waitForState(['pending'])
    await popupPage.bringToFront()
    await popupPage.reload()
    await reloadAfter(250, () => popup.approve(world.env.demo.origin, '5'))
  })

  test.each([0, 50, 125, 250, 500, 1000])('a reload %i ms after an approved page starts opening its channel', async (delayMs) => {
    await reloadAfter(delayMs, () => page.goto(`${world.env.demo.origin}/poem`))
  })
})
