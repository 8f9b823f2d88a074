import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { repoRoot } from './paths'

/**
 * Where the e2e run leaves popup screenshots: outside tracked files, so
 * `npm test` leaves the work tree clean. `npm run screenshots` points it at
 * the README's pictures (`docs/screenshots`) on purpose.
 */
export const screenshotDir = resolve(repoRoot, process.env.DRIP_SCREENSHOT_DIR ?? 'test-results/screenshots')

export async function screenshot(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true })
  await page.screenshot({ path: `${screenshotDir}/${name}.png`, fullPage: true })
}
