/**
 * The wallet core in real Chromium: a fresh install is set up, a paywalled
 * gallery is approved from the popup and paid by its own fetch, the service
 * worker restarts without a new channel, and Close refunds on chain.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { useWorld } from './fixtures'
import type { Page } from 'playwright-core'
import { clickWhenReady, waitUntil } from '../support/pages/driver'
import { GalleryPage } from '../support/pages/gallery'
import { PopupPage } from '../support/pages/popup'

const password = 'correct horse battery'

describe('Chromium: Drip pays the demo gallery', () => {
  const world = useWorld({ browser: 'chromium' })
  let popup: PopupPage
  let popupPage: Page
  let gallery: GalleryPage
  let address: string


  const badge = () => world.drip.serviceWorker.evaluate('chrome.action.getBadgeText({})') as Promise<string>

  test('before any account exists, the gallery shows its 402 message and nothing is paid', async () => {
    const page = await world.drip.context.newPage()
    await page.goto(`${world.env.demo.origin}/gallery`)
    const unpaid = new GalleryPage(page)
    await unpaid.nextPhoto()
    expect(await unpaid.waitForStatus((status) => status.startsWith('402'), 'the 402 message')).toEqual({
      status: '402 — this gallery needs an MPP wallet (Drip)',
      photos: 0,
    })
    await page.close()
    expect(world.env.devnet.chain.state.channels.size).toBe(0)
  })

  test('fresh install: create an account, point it at the devnet, get test funds', async () => {
    popupPage = await world.drip.openPopup()
    popup = new PopupPage(popupPage)
    await popup.waitForScreen('onboarding')
    await popup.createAccount(password)
    await popup.setRpcUrl(world.env.devnet.url)
    await popup.tab('Home')
    await popup.waitForState('live', world.env.devnet.url)
    address = await popup.address()
    expect(await popup.fund()).toBe('$1,000.00')
    expect(await world.env.devnet.balance(address as `0x${string}`)).toBe(1_000_000_000n)
  })

  test('the gallery’s 402 becomes a pending request with a badge, and the page waits for it, saying so; nothing is paid', async () => {
    const page = await world.drip.context.newPage()
    await page.goto(`${world.env.demo.origin}/gallery`)
    gallery = new GalleryPage(page)
    await gallery.askUnapproved()
    expect((await gallery.view()).photos).toBe(0)
    expect(await waitUntil(badge, (text) => text === '1', { what: 'the badge count' })).toBe('1')
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    expect(await waitUntil(() => popup.pendingOrigins(), (o) => o.length > 0, { what: 'the pending list' })).toEqual([world.env.demo.origin])
    expect(world.env.devnet.reserveEvents('ChannelOpened')).toHaveLength(0)
  })

  test('approve max deposit 1: the photo that waited shows with no click, and four Next photo clicks show four more', async () => {
    await popup.approve(world.env.demo.origin, '1')
    expect(await waitUntil(badge, (text) => text === '', { what: 'the badge to clear' })).toBe('')
    expect((await gallery.waitForPhotos(1)).photos).toBe(1)
    for (let i = 2; i <= 5; i++) {
      await gallery.nextPhoto()
      await waitUntil(() => gallery.view(), (view) => view.photos === i, { what: `photo ${i}`, timeoutMs: 20_000 })
    }
    expect(world.env.devnet.reserveEvents('ChannelOpened')).toHaveLength(1)
  })

  test('the popup shows the channel: $1 deposit (the demo suggests $1, more than half the cap), $0.05 spent, $0.95 remaining', async () => {
    const [channel] = await waitUntil(() => popup.channels(), (rows) => rows[0]?.spent === '$0.05', { what: 'the channel row' })
    expect(channel).toMatchObject({ origin: world.env.demo.origin, status: 'open', deposit: '$1', spent: '$0.05', remaining: '$0.95', statusText: 'Open' })
  })

  test('after a service worker restart the next photo is paid on the same channel, with no new open', async () => {
    const cdp = await world.drip.context.newCDPSession(popupPage)
    const statuses: string[] = []
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions) if (version.scriptURL.includes(world.drip.extensionId)) statuses.push(version.runningStatus)
    })
    await cdp.send('ServiceWorker.enable')
    await cdp.send('ServiceWorker.stopAllWorkers')
    await waitUntil(async () => statuses.at(-1), (status) => status === 'stopped', { what: 'the service worker to stop' })
    await gallery.nextPhoto()
    await waitUntil(() => gallery.view(), (view) => view.photos === 6, { what: 'photo 6', timeoutMs: 30_000 })
    // The payment woke a fresh worker, which was still unlocked through the session-cached key.
    expect(statuses.slice(statuses.lastIndexOf('stopped'))).toContain('running')
    expect(world.env.devnet.reserveEvents('ChannelOpened')).toHaveLength(1)
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    await waitUntil(() => popup.channels(), (rows) => rows[0]?.spent === '$0.06', { what: 'spent $0.06' })
  })

  test('another origin can neither approve itself nor spend the first site’s approval', async () => {
    const other = world.env.demo.origin.replace('127.0.0.1', 'localhost')
    const page = await world.drip.context.newPage()
    await page.goto(`${other}/gallery`)
    const otherGallery = new GalleryPage(page)
    await otherGallery.askUnapproved()
    expect((await otherGallery.view()).photos).toBe(0)
    // The page forges a hand-over to have Drip pay the first site's API: Drip pays another site only for a 402 the
    // browser saw it send this tab, for an API approved for the page, and fetches nothing for it (no status oracle).
    const report = await page.evaluate(
      (url) =>
        new Promise((resolve) => {
          const channel = new MessageChannel()
          channel.port1.onmessage = (event) => resolve(event.data)
          const request = { url, method: 'GET', headers: [], body: null, credentials: 'include', wwwAuthenticate: null }
          window.postMessage({ drip: 'drip:paid-request', command: { type: 'start', request } }, location.origin, [channel.port2])
        }),
      `${world.env.demo.origin}/api/sessions/photo`,
    )
    expect(report).toEqual({
      type: 'unpaid',
      outcome: 'refused',
      message: `Drip did not see ${world.env.demo.origin} answer ${other}'s request with a payment challenge, so it pays nothing there.`,
    })
    // And the page cannot reach Drip's privileged API at all.
    expect(await page.evaluate(() => typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage)).not.toBe('function')
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    expect(await waitUntil(() => popup.pendingOrigins(), (o) => o.length > 0, { what: 'the pending list' })).toEqual([other])
    const [channel] = await waitUntil(() => popup.channels(), (rows) => rows.length > 0, { what: 'the channel list' })
    expect(channel).toMatchObject({ origin: world.env.demo.origin, spent: '$0.06' })
  })

  test('Ignore this site: the other origin leaves the pending list for good (a new 402 asks nothing, its page is told why); Stop ignoring under Sites lets it ask again', async () => {
    const other = world.env.demo.origin.replace('127.0.0.1', 'localhost')
    await clickWhenReady(popupPage, 'Ignore this site', `form[aria-label="Payment request from ${other}"]`)
    await waitUntil(() => popup.pendingOrigins(), (origins) => !origins.includes(other), { what: `${other} to leave the pending list` })
    await popup.tab('Sites')
    const ignored = () => popupPage.evaluate(() => [...document.querySelectorAll('[data-testid="ignored-sites"] .origin')].map((e) => e.textContent ?? ''))
    expect(await waitUntil(ignored, (origins) => origins.length > 0, { what: 'the ignored sites' })).toEqual([other])
    const page = await world.drip.context.newPage()
    await page.goto(`${other}/gallery`)
    const ignoredGallery = new GalleryPage(page)
    await ignoredGallery.nextPhoto()
    expect(await waitUntil(() => ignoredGallery.noticeText(), (text) => text !== '', { what: "Drip's notice in the page" })).toBe(
      `You told Drip to ignore ${other}. To pay it, stop ignoring it under Sites in Drip's popup.`,
    )
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    expect(await popup.pendingOrigins()).toEqual([])
    await popup.tab('Sites')
    await clickWhenReady(popupPage, 'Stop ignoring', '[data-testid="ignored-sites"]')
    await waitUntil(ignored, (origins) => origins.length === 0, { what: 'the ignored list to empty' })
    await ignoredGallery.askUnapproved()
    await popup.tab('Home')
    expect(await waitUntil(() => popup.pendingOrigins(), (origins) => origins.length > 0, { what: 'the pending list' })).toEqual([other])
    await page.close()
  })

  test('Close: the site settles and the unspent deposit is refunded on the devnet', async () => {
    const before = await world.env.devnet.balance(address as `0x${string}`)
    await clickWhenReady(popupPage, 'Close', '[data-testid="channel"][data-status="open"]')
    const [channel] = await waitUntil(() => popup.channels(), (rows) => rows[0]?.status === 'closed', { what: 'the channel to close', timeoutMs: 30_000 })
    expect(channel!.statusText).toBe('Closed, $0.94 refunded')
    const [closed] = world.env.devnet.reserveEvents('ChannelClosed')
    expect([closed!.args.settledToPayee, closed!.args.refundedToPayer]).toEqual([60_000n, 940_000n])
    expect((await world.env.devnet.balance(address as `0x${string}`)) - before).toBe(940_000n)
  })
  test('Activity: Export history (CSV) downloads every line, oldest first, with amounts in dollars', async () => {
    await popup.tab('Activity')
    const [download] = await Promise.all([popupPage.waitForEvent('download'), clickWhenReady(popupPage, 'Export history (CSV)')])
    expect(download.suggestedFilename()).toMatch(/^drip-history-\d{4}-\d{2}-\d{2}\.csv$/)
    const csv = readFileSync((await download.path())!, 'utf8')
    const rows = csv.trim().split('\r\n').map((row) => row.split(','))
    expect(rows[0]).toEqual(['date', 'site', 'kind', 'amount', 'cumulative', 'channel', 'transaction', 'detail'])
    const kinds = rows.slice(1).map((row) => row[2])
    // The reader's afternoon: approved, six photos (the open pays the first, a voucher each of the other five), closed.
    expect(kinds.filter((kind) => kind === 'open')).toHaveLength(1)
    expect(kinds.filter((kind) => kind === 'voucher')).toHaveLength(5)
    expect(kinds.at(-1)).toBe('close')
    const open = rows.find((row) => row[2] === 'open')!
    expect(open.slice(1, 4)).toEqual([world.env.demo.origin, 'open', '1'])
    expect(rows.find((row) => row[2] === 'close')![3]).toBe('0.94')
    console.info(`CSV export: ${rows.length - 1} lines, kinds ${[...new Set(kinds)].join(', ')}`)
  })
  test('Reset, then restore from the recovery phrase written down at creation: the same account and balance', async () => {
    await popup.tab('Home')
    const balance = await waitUntil(() => popupPage.locator('[data-testid="balance-pathUSD"]').textContent(), (b) => Boolean(b), { what: 'the balance' })
    await popup.tab('Settings')
    await popupPage.locator('input[name="resetConfirmation"]').fill('RESET')
    await clickWhenReady(popupPage, 'Reset wallet')
    await popup.importAccount(popup.recoveryPhrase!, password)
    expect(await popup.address()).toBe(address)
    await popup.tab('Home')
    expect(await waitUntil(() => popupPage.locator('[data-testid="balance-pathUSD"]').textContent(), (b) => Boolean(b), { what: 'the balance' })).toBe(balance)
  })
})
