/**
 * axe-core on every popup screen a reader goes through (onboarding, home,
 * home with a pending request and with a channel, sites, activity,
 * settings, locked), in Chromium
 * with the built Drip: no serious or critical violation. Every finding is
 * printed, minor ones too.
 */
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { axeViolations } from '../support/browser/axe'
import { screenshot } from '../support/browser/screenshots'
import { waitUntil } from '../support/pages/driver'
import { GalleryPage } from '../support/pages/gallery'
import { PopupPage } from '../support/pages/popup'
import { useWorld } from './fixtures'

describe('Chromium: the popup is accessible', () => {
  const world = useWorld({ browser: 'chromium' })
  let popupPage: Page
  let popup: PopupPage

  /**
   * axe and unique names on the screen as it is, in the light and the dark
   * colour scheme; its screenshots for the README (`docs/screenshots/screen-*.png`, `-dark.png`).
   */
  async function audit(screen: string) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await popupPage.emulateMedia({ colorScheme })
      const label = `${screen}, ${colorScheme}`
      await screenshot(popupPage, `screen-${screen.replaceAll(' ', '-')}${colorScheme === 'dark' ? '-dark' : ''}`)
      const { serious, all } = await axeViolations(popupPage)
      console.info(`axe, ${label}: ${all.length} violations${all.map((v) => `\n  ${v.impact} ${v.id}: ${v.help} (${v.targets.slice(0, 3).join(', ')})`).join('')}`)
      expect(serious, `${label}: serious or critical violations`).toEqual([])
    }
    await popupPage.emulateMedia({ colorScheme: 'light' })
    const names = await controlNames()
    expect(names.filter((name, i) => names.indexOf(name) !== i), `${screen}: controls sharing one accessible name`).toEqual([])
  }

  /** Buttons', links' and fields' accessible names as Chromium computes them (its accessibility tree, through Playwright's roles). */
  async function controlNames(): Promise<string[]> {
    const names: string[] = []
    for (const role of ['button', 'link', 'textbox', 'checkbox'] as const)
      for (const control of await popupPage.getByRole(role).all()) names.push(`${role}: ${(await control.getAttribute('aria-label')) ?? (await control.evaluate((e) => (e as HTMLInputElement).labels?.[0]?.textContent ?? e.textContent ?? ''))}`.trim())
    return names
  }

  test('the audit finds what it should: a nameless button and an image without text are serious; light text on the dark scheme fails contrast', async () => {
    popupPage = await world.drip.openPopup()
    popup = new PopupPage(popupPage)
    await popup.waitForScreen('onboarding')
    await popupPage.evaluate(`document.body.insertAdjacentHTML('beforeend', '<div id="axe-control"><button></button><img src="icon/16.png"></div>')`)
    const { serious } = await axeViolations(popupPage)
    expect(serious.map((v) => v.id).sort()).toEqual(['button-name', 'image-alt'])
    await popupPage.evaluate(`document.getElementById('axe-control').remove()`)
    // The light scheme's accent (4.6:1 on white) in the dark scheme: the dark audit finds its contrast.
    await popupPage.evaluate(`document.body.insertAdjacentHTML('beforeend', '<p id="axe-control" style="color: #1f6feb">Drip</p>')`)
    expect((await axeViolations(popupPage)).serious.map((v) => v.id)).toEqual([])
    await popupPage.emulateMedia({ colorScheme: 'dark' })
    expect((await axeViolations(popupPage)).serious.map((v) => v.id)).toEqual(['color-contrast'])
    await popupPage.emulateMedia({ colorScheme: 'light' })
    await popupPage.evaluate(`document.getElementById('axe-control').remove()`)
  })

  test('onboarding', async () => {
    await audit('onboarding')
  })

  test('home, funded, with a pending request', async () => {
    await popup.setUpFunded(world.env.devnet.url)
    await audit('home')
    const page = await world.drip.context.newPage()
    await page.goto(`${world.env.demo.origin}/gallery`)
    const gallery = new GalleryPage(page)
    await gallery.askUnapproved()
    await page.close()
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    await waitUntil(() => popup.pendingOrigins(), (origins) => origins.includes(world.env.demo.origin), { what: 'the pending request' })
    await audit('home with a pending request')
    await popup.approve(world.env.demo.origin, '1')
    const paid = await world.drip.context.newPage()
    await paid.goto(`${world.env.demo.origin}/gallery`)
    expect((await new GalleryPage(paid).showPhotos(1)).photos).toBe(1)
    await paid.close()
    await popupPage.reload()
    await popup.waitForScreen('wallet')
    expect(await popup.signedOnFirstChannel()).toBe(10_000n)
    await audit('home with a channel')
    await popup.tab('Sites')
    await audit('sites')
    await popup.tab('Home')
  })

  test('activity and settings', async () => {
    await popup.tab('Activity')
    await audit('activity')
    await popup.tab('Settings')
    await audit('settings')
  })

  test('locked', async () => {
    await popup.tab('Settings')
    await popupPage.getByRole('button', { name: 'Lock now' }).click()
    await popup.waitForScreen('locked')
    await audit('locked')
  })
})
