import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { repoRoot } from './paths'

/** Where the e2e run leaves popup screenshots for the README. */
export const screenshotDir = `${repoRoot}docs/screenshots`

export async function screenshot(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true })
  await page.screenshot({ path: `${screenshotDir}/${name}.png`, fullPage: true })
}
