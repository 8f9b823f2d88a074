/**
 * The reader's first minutes by keyboard alone, in Chromium with the built
 * Drip: create an account (password, recovery phrase, its confirmation)
 * and approve a site's pending request, with Tab, typing and Enter only.
 * Every control reached shows a visible focus ring.
 */
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { waitUntil } from '../support/pages/driver'
import { GalleryPage } from '../support/pages/gallery'
import { PopupPage } from '../support/pages/popup'
import { useWorld } from './fixtures'

/** What has the keyboard focus: its accessible name or field name, and whether a focus ring is drawn. */
type Focused = { name: string; ring: boolean }

describe('Chromium: onboarding and approval by keyboard only', () => {
  const world = useWorld({ browser: 'chromium' })
  let popupPage: Page
  const seen: Focused[] = []

  /**
   * The control with the keyboard focus, or undefined when none has it (the body has it once Tab passes the last
   * control, before it starts again from the first).
   */
  async function focused(): Promise<Focused | undefined> {
    return popupPage.evaluate(`(() => {
      const e = document.activeElement
      if (!e || e === document.body || e === document.documentElement) return undefined
      const style = getComputedStyle(e)
      const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
      return { name: e.getAttribute('name') || e.getAttribute('aria-label') || e.textContent.trim(), ring }
    })()`)
  }

  /** Presses Tab until the focused control is `name` (a field's name or a button's text); fails after 40 presses. */
  async function tabTo(name: string) {
    for (let i = 0; i < 40; i++) {
      await popupPage.keyboard.press('Tab')
      const now = await focused()
      if (!now) continue
      seen.push(now)
      if (now.name === name) return
    }
    throw new Error(`Tab never reached "${name}"; saw ${seen.slice(-10).map((f) => f.name).join(', ')}`)
  }

  test('create an account: password, the recovery phrase and its confirmation, by keyboard', async () => {
    popupPage = await world.drip.openPopup()
    const popup = new PopupPage(popupPage)
    await popup.waitForScreen('onboarding')
    await tabTo('password')
    await popupPage.keyboard.type('correct horse battery')
    await tabTo('confirm')
    await popupPage.keyboard.type('correct horse battery')
    await popupPage.keyboard.press('Enter')
    const words = await waitUntil(
      async () => (await popupPage.locator('[data-testid="recovery-phrase"] li').allTextContents()).map((w) => w.trim()),
      (list) => list.length === 12,
      { what: 'the recovery phrase' },
    )
    await tabTo('I wrote it down')
    await popupPage.keyboard.press('Enter')
    for (const name of await popupPage.locator('input[name^="word"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).name))) {
      await tabTo(name)
      await popupPage.keyboard.type(words[Number(name.slice(4)) - 1]!)
    }
    await popupPage.keyboard.press('Enter')
    await popup.waitForScreen('wallet')
    await popup.setRpcUrl(world.env.devnet.url)
    await popup.tab('Home')
    await popup.fund()
  })

  test('approve a pending request: Tab to the max deposit, type it, Enter', async () => {
    const page = await world.drip.context.newPage()
    await page.goto(`${world.env.demo.origin}/gallery`)
    const gallery = new GalleryPage(page)
    await gallery.askUnapproved()
    await popupPage.bringToFront()
    await popupPage.reload()
    const popup = new PopupPage(popupPage)
    await popup.waitForScreen('wallet')
    // Tab only once the request's form is there: before it, Tab ran past the last control to the body and round again.
    await waitUntil(() => popup.pendingOrigins(), (origins) => origins.includes(world.env.demo.origin), { what: 'the pending request' })
    await tabTo('maxDeposit')
    await popupPage.keyboard.press('Control+A')
    await popupPage.keyboard.type('0.5')
    await popupPage.keyboard.press('Enter')
    await waitUntil(() => popup.pendingOrigins(), (origins) => origins.length === 0, { what: 'the approval' })
    await page.bringToFront()
    // The photo that waited for the approval shows with no second key press.
    expect((await gallery.waitForPhotos(1)).photos).toBe(1)
  })

  test('every control reached by Tab showed a focus ring', () => {
    const missing = seen.filter((f) => !f.ring).map((f) => f.name)
    console.info(`keyboard: ${seen.length} Tab stops, ${new Set(seen.map((f) => f.name)).size} controls, ${missing.length} without a focus ring`)
    expect(missing).toEqual([])
  })
})
