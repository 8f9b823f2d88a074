/**
 * Budgets and pause in Chromium with the built Drip, set from the popup: a
 * site's daily budget of $0.02 pays two photos and refuses the third before
 * signing, with the alert on Home and the refusal in Activity; Pause stops
 * payments and keeps the approval; Resume pays again (within a new budget).
 * Budgets reset on their own: the worker's clock is moved from outside past
 * midnight and past the 1st (the rules' own table tests are `budgets.test.ts`).
 * Then a reset and a restore from the recovery phrase find the channel on
 * chain, and force close and withdraw refund it exactly.
 */
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { clickWhenReady, waitUntil } from '../support/pages/driver'
import { GalleryPage } from '../support/pages/gallery'
import { PopupPage } from '../support/pages/popup'
import { moveWorkerClock, restoreWorkerClock, workerClockIsMoved } from '../support/browser/workerClock'
import { formatDollars, parseDollars } from '@/lib/shared/amounts'
import { useWorld } from './fixtures'

describe('Chromium: budgets over time and pause', () => {
  const world = useWorld({ browser: 'chromium' })
  let popupPage: Page
  let popup: PopupPage
  let gallery: GalleryPage
  let galleryTab: Page

  const siteForm = () => `form[aria-label="Budget for ${world.env.demo.origin}"]`
  /** Drip's notice in the gallery's page (`content/pageNotice.ts`). */
  const pageNotice = () => waitUntil(() => galleryTab.locator('drip-page-notice').getAttribute('data-text'), (t) => Boolean(t), { what: "Drip's notice in the page" })
  const signed = async () => {
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    return popup.signedOnFirstChannel()
  }

  test('a daily budget of $0.025 set from the Sites list: two photos (80%: Home shows the alert), the third refused unsigned', async () => {
    popupPage = await world.drip.openPopup()
    popup = new PopupPage(popupPage)
    await popup.setUpFunded(world.env.devnet.url)
    const page = (galleryTab = await world.drip.context.newPage())
    await page.goto(`${world.env.demo.origin}/gallery`)
    gallery = new GalleryPage(page)
    // The page's request waits for the reader; Drip tells the reader why in the page.
    expect(await gallery.askUnapproved()).toBe(
      `Waiting for your approval in Drip (up to 1 minute); the page carries on when you approve. ${world.env.demo.origin} asks to be paid $0.01 per photo. Approve it in Drip's toolbar popup.`,
    )
    await popupPage.bringToFront()
    await popupPage.reload()
    await popup.approve(world.env.demo.origin, '1')
    // The photo that waited is paid and shown, with no second click.
    expect((await gallery.waitForPhotos(1)).photos).toBe(1)
    await popup.tab('Sites')
    await popupPage.locator(`${siteForm()} input[name="siteDaily"]`).fill('0.025')
    await clickWhenReady(popupPage, 'Save budget', siteForm())
    await waitUntil(() => popupPage.locator(`${siteForm()} input[name="siteDaily"]`).inputValue(), (v) => v === '0.025', { what: 'the saved budget' })
    await page.bringToFront()
    expect((await gallery.showPhotos(1)).photos).toBe(2)
    await gallery.nextPhoto()
    await gallery.waitForStatus((s) => s.startsWith('402'), 'the refusal')
    expect(await pageNotice()).toMatch(/^Paying \$0\.01 more would pass .*'s daily budget of \$0\.025 \(\$0\.02 spent today\)\. It resets at midnight, or raise it in Drip\.$/)
    expect(await signed()).toBe(20_000n)
    // Home: what needs attention.
    const alerts = await waitUntil(() => popupPage.locator('[data-testid="budget-alerts"]').textContent(), (t) => Boolean(t), { what: 'the budget alert' })
    expect(alerts).toContain(`${world.env.demo.origin}'s daily budget is 80% used: $0.02 of $0.025.`)
    await popup.tab('Sites')
    expect(await popupPage.locator('[data-testid="site-spent-period"]').textContent()).toBe('Spent today $0.02, this month $0.02')
    await popup.tab('Activity')
    expect(await waitUntil(() => popupPage.locator('li[data-kind="refused"]').first().textContent(), (t) => Boolean(t), { what: 'the refusal line' })).toContain(
      "daily budget of $0.025 ($0.02 spent today)",
    )
    await popup.tab('Home')
  })

  test('Pause keeps the approval and pays nothing; Resume with a larger budget pays the next photo', async () => {
    await popup.tab('Sites')
    await clickWhenReady(popupPage, 'Pause')
    await waitUntil(() => popupPage.locator('[data-testid="site"]').getAttribute('data-paused'), (v) => v === 'true', { what: 'the paused site' })
    await popupPage.locator(`${siteForm()} input[name="siteDaily"]`).fill('1')
    await clickWhenReady(popupPage, 'Save budget', siteForm())
    await gallery.nextPhoto()
    await gallery.waitForStatus((s) => s.startsWith('402'), 'the 402 while paused')
    expect(await signed()).toBe(20_000n)
    await popup.tab('Sites')
    await clickWhenReady(popupPage, 'Resume')
    await waitUntil(() => popupPage.locator('[data-testid="site"]').getAttribute('data-paused'), (v) => v === null, { what: 'the resumed site' })
    const before = (await gallery.view()).photos
    expect((await gallery.showPhotos(1)).photos).toBe(before + 1)
    expect(await signed()).toBe(30_000n)
  })

  test('a site’s own sign-ahead, from Sites: saved, shown after a reload, in Activity; emptied, back to the default', async () => {
    await popup.tab('Sites')
    const form = `form[aria-label="Sign-ahead for ${world.env.demo.origin}"]`
    const field = popupPage.locator(`${form} input[name="siteSignAhead"]`)
    expect(await field.getAttribute('placeholder')).toBe('0.01')
    await field.fill('0.02')
    await clickWhenReady(popupPage, 'Save', form)
    await popup.tab('Activity')
    await waitUntil(() => popupPage.locator('li[data-kind="approved"]').first().textContent(), (t) => t?.includes('Streams pay ahead by up to $0.02 on this site.') ?? false, {
      what: 'the sign-ahead line',
    })
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    await popup.tab('Sites')
    expect(await waitUntil(() => popupPage.locator(`${form} input[name="siteSignAhead"]`).inputValue(), (v) => v !== '', { what: 'the saved sign-ahead' })).toBe('0.02')
    await popupPage.locator(`${form} input[name="siteSignAhead"]`).fill('')
    await clickWhenReady(popupPage, 'Save', form)
    await popup.tab('Activity')
    await waitUntil(() => popupPage.locator('li[data-kind="approved"]').first().textContent(), (t) => t?.includes('Streams pay ahead by your default again.') ?? false, {
      what: 'the back-to-default line',
    })
    await popup.tab('Home')
  })

  test('Activity: the spend chart and the table by site and month say $0.03 for the demo site', async () => {
    await popup.tab('Activity')
    const description = await waitUntil(() => popupPage.locator('[data-testid="spend-chart"] desc').textContent(), (t) => Boolean(t), { what: 'the chart' })
    expect(description).toContain(`${world.env.demo.origin}: $0.03`)
    expect(await popupPage.locator('[data-testid="spend-chart"] rect').count()).toBe(1)
    const now = new Date()
    const month = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`
    expect(await popupPage.locator('[data-testid="spend-by-month"] tbody tr').first().textContent()).toBe(`${month}${world.env.demo.origin}$0.03`)
  })
  test("budgets reset on their own: with the worker's clock moved, $0.01 a day pays one photo before midnight and one after; $0.01 a month, one before the 1st and one after", async () => {
    const worker = world.drip.serviceWorker
    const now = new Date()
    const [year, month, day] = [now.getFullYear(), now.getMonth(), now.getDate()]
    const setSiteBudget = async (daily: string, monthly: string) => {
      await popupPage.bringToFront()
      await popup.tab('Sites')
      await popupPage.locator(`${siteForm()} input[name="siteDaily"]`).fill(daily)
      await popupPage.locator(`${siteForm()} input[name="siteMonthly"]`).fill(monthly)
      await clickWhenReady(popupPage, 'Save budget', siteForm())
      await popupPage.reload()
      await popup.waitForScreen('wallet')
      await popup.tab('Sites')
      const saved = async () => [await popupPage.locator(`${siteForm()} input[name="siteDaily"]`).inputValue(), await popupPage.locator(`${siteForm()} input[name="siteMonthly"]`).inputValue()]
      await waitUntil(saved, ([d, m]) => d === daily && m === monthly, { what: 'the saved budget' })
      await galleryTab.bringToFront()
    }
    /** Clicks "Next photo" once: whether the photo was paid and shown. */
    const photoPaid = async () => {
      const before = (await gallery.view()).photos
      return (await gallery.showPhotos(1)).photos > before
    }
    const spentToday = async () => {
      await popupPage.bringToFront()
      await popupPage.reload()
      await popup.waitForScreen('wallet')
      await popup.tab('Sites')
      const text = await popupPage.locator('[data-testid="site-spent-period"]').textContent()
      await galleryTab.bringToFront()
      return text?.split(',')[0]
    }
    // Days and months in the past, so the sites' challenges are never seen as expired; real spending is today's.
    try {
      await setSiteBudget('0.01', '')
      await moveWorkerClock(worker, new Date(year, month, day - 2, 23, 59, 50))
      expect([await photoPaid(), await photoPaid()]).toEqual([true, false])
      await moveWorkerClock(worker, new Date(year, month, day - 1, 0, 0, 10))
      expect(await spentToday()).toBe('Spent today $0.00')
      expect([await photoPaid(), await photoPaid()]).toEqual([true, false])
      expect(await spentToday()).toBe('Spent today $0.01')

      await setSiteBudget('', '0.01')
      // The last day of the month three months back (day 0 of the next one), 10 s before midnight, then the 1st.
      await moveWorkerClock(worker, new Date(year, month - 2, 0, 23, 59, 50))
      expect([await photoPaid(), await photoPaid()]).toEqual([true, false])
      await moveWorkerClock(worker, new Date(year, month - 2, 1, 0, 0, 10))
      expect([await photoPaid(), await photoPaid()]).toEqual([true, false])
      expect(await workerClockIsMoved(worker), 'Chrome restarted the worker during the test, so its clock was not the moved one').toBe(true)
    } finally {
      await restoreWorkerClock(worker)
    }
    // Four photos paid across the four days, four refused unsigned.
    expect(await signed()).toBe(70_000n)
    await setSiteBudget('', '')
  })

  test('Reset and restore from the recovery phrase: Drip finds the open channel on chain, offers Force close (not Close), and Withdraw refunds exactly deposit − settled', async () => {
    await popup.tab('Settings')
    await popupPage.locator('input[name="resetConfirmation"]').fill('RESET')
    await clickWhenReady(popupPage, 'Reset wallet')
    await popup.importAccount(popup.recoveryPhrase!, 'correct horse battery')
    await popup.tab('Home')
    const [row] = await waitUntil(() => popup.channels(), (rows) => rows.length > 0, { what: 'the found channel' })
    const payee = world.env.demo.recipient
    expect(row).toMatchObject({ origin: `unknown site (pays ${payee.slice(0, 6)}…${payee.slice(-4)})`, status: 'open', deposit: '$1' })
    const buttons = await popupPage.locator('[data-testid="channel"] button').allTextContents()
    expect(buttons).toEqual(['Force close'])
    // Force close, the grace period on the devnet's clock, Withdraw: exactly deposit − settled comes back.
    // Force close is destructive: it asks first.
    await clickWhenReady(popupPage, 'Force close')
    expect(await popup.channels()).toMatchObject([{ status: 'open' }])
    await clickWhenReady(popupPage, 'Yes, force close')
    await waitUntil(() => popup.channels(), (rows) => rows[0]?.status === 'closing', { what: 'the closing channel' })
    await world.env.devnet.increaseTime(900)
    await world.env.devnet.mine()
    const [closing] = await waitUntil(() => popup.channels(), (rows) => rows[0]?.statusText === 'Ready to withdraw', { what: 'the grace period to end' })
    const balance = await world.env.devnet.balance(await popup.address() as `0x${string}`)
    await clickWhenReady(popupPage, 'Withdraw')
    const [closed] = await waitUntil(() => popup.channels(), (rows) => rows[0]?.status === 'closed', { what: 'the withdrawal' })
    const refund = parseDollars(closing!.deposit.slice(1), 'deposit') - parseDollars(closing!.settled.slice(1), 'settled')
    expect(closed!.statusText).toBe(`Closed, ${formatDollars(refund)} refunded`)
    const fee = [...world.env.devnet.chain.receipts.values()].at(-1)!.fee
    expect((await world.env.devnet.balance(await popup.address() as `0x${string}`)) - balance).toBe(refund - fee)
    await popup.tab('Settings')
    await clickWhenReady(popupPage, 'Find my channels')
    expect(await waitUntil(() => popupPage.locator('[data-testid="found-channels"]').textContent(), (t) => Boolean(t), { what: 'the search result' })).toBe(
      'No unknown channels on Localnet (1 opened by this account in all).',
    )
  })
})
