/**
 * Runs every no-harm case (`noHarmCases.ts`) in fresh tabs of one browser,
 * and records what each page saw and the requests its server received.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Navigation, noHarmCases } from './noHarmCases'
import { type NoHarmSite, startNoHarmSite } from './noHarmSite'

export type Seen = { page: unknown; requests: string[] }

/** What the no-harm suite needs of a tab, in Playwright's and Puppeteer's words alike. */
export type CaseTab = { goto(url: string): Promise<unknown>; evaluate(source: string): Promise<unknown>; close(): Promise<void> }

export const caseNames = Object.keys(noHarmCases)

export async function runNoHarmCases(site: NoHarmSite, newTab: () => Promise<CaseTab>): Promise<Record<string, Seen>> {
  const seen: Record<string, Seen> = {}
  for (const name of caseNames) {
    const tab = await newTab()
    // `goto` resolves once the page has loaded, in both drivers; the case runs then, whether Drip has answered the page or not.
    await tab.goto(`${site.origin}/blank`)
    site.clearLog()
    let page = await tab.evaluate(`(async () => { ${noHarmCases[name]} })()`)
    if (isNavigation(page)) page = { ...page, landed: await landedPage(tab, page.navigatesTo) }
    await tab.close()
    seen[name] = { page, requests: site.log() }
  }
  return seen
}

function isNavigation(value: unknown): value is Navigation {
  return typeof value === 'object' && value !== null && 'navigatesTo' in value
}

/**
 * What the page a case navigated to shows, once it has loaded and its body no longer says `data-case-pending` (a
 * context destroyed mid-navigation is asked again).
 */
export async function landedPage(tab: Pick<CaseTab, 'evaluate'>, path: string): Promise<unknown> {
  const read = `document.readyState === 'complete' && location.pathname === ${JSON.stringify(path)} && !document.body.hasAttribute('data-case-pending') ? { search: location.search, text: document.body.textContent, marks: [...document.documentElement.attributes].map((a) => a.name) } : null`
  for (;;) {
    const landed = await tab.evaluate(read).catch(() => null)
    if (landed) return landed
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** One browser's three runs: without Drip, with Drip freshly installed, with an account that approved nothing. */
export type NoHarmBrowser = {
  plain(): Promise<{ newTab(): Promise<CaseTab>; close(): Promise<void> }>
  withDrip(): Promise<{ newTab(): Promise<CaseTab>; createAccount(): Promise<void>; close(): Promise<void> }>
}

/**
 * Registers the no-harm suite for one browser: the cases run in each of the
 * three setups (one browser at a time), then each case must have seen and
 * sent exactly the same with Drip as without.
 */
export function describeNoHarm(name: string, browser: NoHarmBrowser) {
  describe(`${name}: a page that never pays behaves exactly as without Drip`, () => {
    let site: NoHarmSite
    let without: Record<string, Seen>
    let freshInstall: Record<string, Seen>
    let approvedNothing: Record<string, Seen>

    beforeAll(async () => {
      site = await startNoHarmSite()
      const plain = await browser.plain()
      try {
        without = await runNoHarmCases(site, () => plain.newTab())
      } finally {
        await plain.close()
      }
      const drip = await browser.withDrip()
      try {
        freshInstall = await runNoHarmCases(site, () => drip.newTab())
        await drip.createAccount()
        approvedNothing = await runNoHarmCases(site, () => drip.newTab())
      } finally {
        await drip.close()
      }
    }, 300_000)
    afterAll(() => site?.close())

    test.each(caseNames)('%s', (name) => {
      expect(without[name]!.page, 'the case ran without Drip').toBeDefined()
      expect(freshInstall[name], 'Drip, fresh install').toEqual(without[name])
      expect(approvedNothing[name], 'Drip, an account that approved nothing').toEqual(without[name])
    })
  })
}
