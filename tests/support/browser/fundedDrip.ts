/**
 * Drip in Chromium as the benchmarks start it: a funded account on the
 * devnet, then a demo page whose first paid request waits for the reader,
 * who approves the site as the popup pre-fills it.
 */
import type { Page } from 'playwright-core'
import { PopupPage } from '../pages/popup'
import { type ChromiumDrip, launchChromium } from './chromium'

export type FundedDrip = { drip: ChromiumDrip; popupPage: Page; popup: PopupPage }

/** Launches Drip (`DRIP_CHROME_BUILD` honoured) and sets up an account funded on the devnet at `rpcUrl`; closes it on failure. */
export async function launchFundedDrip(rpcUrl: string): Promise<FundedDrip> {
  const drip = await launchChromium()
  try {
    const popupPage = await drip.openPopup()
    const popup = new PopupPage(popupPage)
    await popup.setUpFunded(rpcUrl)
    return { drip, popupPage, popup }
  } catch (error) {
    await drip.close()
    throw error
  }
}

/**
 * Opens `url` in a new tab and evaluates `firstRequest` there (a paid request, as an expression); the reader approves
 * the site as the popup pre-fills it while that request waits. Returns the tab and what the request gave.
 */
export async function openApproved<T>({ drip, popupPage, popup }: FundedDrip, url: string, firstRequest: string): Promise<{ page: Page; first: T }> {
  const page = await drip.context.newPage()
  await page.goto(url)
  const first = page.evaluate<T>(firstRequest)
  await popupPage.bringToFront()
  await popup.approve(new URL(url).origin, 'as pre-filled')
  return { page, first: await first }
}
