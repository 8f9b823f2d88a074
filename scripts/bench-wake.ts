/**
 * `npm run bench:wake` (also run by `npm run bench`): what a page that never
 * pays pays for Drip's worker starting. Chrome ends an idle extension
 * worker after 30 s, and the reader's next page starts it again (Drip's
 * `webRequest` observation and its content script's hello both do). In
 * Chromium, on the no-harm site (`tests/support/noHarmSite.ts`):
 *
 * - the page of 60 parts, its DOMContentLoaded and load: without Drip,
 *   with Drip's worker running, and right after Chrome ended the worker
 *   (with how many of those loads started it again);
 * - where a start goes: copies of the build (under bench-results/) whose
 *   `background.js` notes `performance.now()`, the time since the worker
 *   began, at its first line and at its last; Drip's, and an empty worker
 *   for the browser's own part. Each is ended and started again by a
 *   message from an extension page.
 *
 * RUNS (default 3) × LOADS (default 10); a benchmark: it prints everything
 * and asserts nothing; bench-results/wake.json keeps every sample.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { type ChromiumDrip, launchChromium, launchPlainChromium } from '../tests/support/browser/chromium'
import { chromeBuild, repoRoot } from '../tests/support/browser/paths'
import { startNoHarmSite } from '../tests/support/noHarmSite'
import { PopupPage } from '../tests/support/pages/popup'

const runs = Number(process.env.RUNS ?? 3)
const loads = Number(process.env.LOADS ?? 10)
const starts = 5

type Load = { domContentLoaded: number; load: number }

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

async function loadManyParts(page: Page, origin: string, tag: string): Promise<Load> {
  await page.goto(`${origin}/many-parts?${tag}`, { waitUntil: 'load' })
  return page.evaluate<Load>(`(() => { const n = performance.getEntriesByType('navigation')[0]; return { domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventStart } })()`)
}

/** Counts the extension worker's starts, as the browser reports them to `page`'s CDP session. */
async function watchStarts(drip: ChromiumDrip, page: Page) {
  const cdp = await drip.context.newCDPSession(page)
  let started = 0
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const version of versions) if (version.scriptURL.includes(drip.extensionId) && version.runningStatus === 'starting') started++
  })
  await cdp.send('ServiceWorker.enable')
  return { started: () => started, stop: () => cdp.detach() }
}

/** The 60-part page without Drip, with Drip's worker running, and each time right after Chrome ended it. */
async function pageLoads(origin: string) {
  const plain = await launchPlainChromium()
  const without: Load[] = []
  try {
    const page = await plain.context.newPage()
    for (let i = 0; i < loads; i++) without.push(await loadManyParts(page, origin, `without=${i}`))
  } finally {
    await plain.close()
  }
  const drip = await launchChromium()
  const running: Load[] = []
  const afterEnded: Load[] = []
  let startedByLoad = 0
  try {
    await new PopupPage(await drip.openPopup()).createAccount('correct horse battery')
    const page = await drip.context.newPage()
    const watcher = await watchStarts(drip, page)
    for (let i = 0; i < loads; i++) {
      running.push(await loadManyParts(page, origin, `running=${i}`))
      await drip.stopServiceWorker(page)
      const before = watcher.started()
      afterEnded.push(await loadManyParts(page, origin, `ended=${i}`))
      if (watcher.started() > before) startedByLoad++
    }
    await watcher.stop()
  } finally {
    await drip.close()
  }
  return { without, running, afterEnded, startedByLoad }
}

/** A copy of the build whose worker notes when its first and last lines ran; `empty`: a worker of those two lines only. */
function timedBuild(empty: boolean): string {
  const dir = `${repoRoot}bench-results/wake-builds/${empty ? 'empty' : 'drip'}`
  rmSync(dir, { recursive: true, force: true })
  cpSync(chromeBuild, dir, { recursive: true })
  const bundle = empty ? 'chrome.runtime.onMessage.addListener(() => {});' : readFileSync(`${chromeBuild}/background.js`, 'utf8')
  writeFileSync(`${dir}/background.js`, `globalThis.benchFirstLine = performance.now();\n${bundle}\n;globalThis.benchLastLine = performance.now();\n`)
  return dir
}

/** Ends the worker and starts it again with a message, `starts` times: when its first and last lines ran. */
async function workerStarts(extensionDir: string) {
  const drip = await launchChromium({ extensionDir })
  const firstLine: number[] = []
  const lastLine: number[] = []
  try {
    const page = await drip.context.newPage()
    await page.goto(`chrome-extension://${drip.extensionId}/manifest.json`)
    for (let i = 0; i < starts; i++) {
      await drip.stopServiceWorker(page)
      const restarted = drip.context.waitForEvent('serviceworker', { timeout: 5_000 }).catch(() => undefined)
      await page.evaluate(`chrome.runtime.sendMessage('wake').catch(() => undefined)`)
      const worker = (await restarted) ?? drip.context.serviceWorkers()[0]!
      const [first, last] = await worker.evaluate<[number, number]>('[globalThis.benchFirstLine, globalThis.benchLastLine]')
      firstLine.push(first)
      lastLine.push(last)
    }
  } finally {
    await drip.close()
  }
  return { firstLine, lastLine }
}

async function main() {
  const site = await startNoHarmSite()
  const samples: { loads: Awaited<ReturnType<typeof pageLoads>>[]; empty: Awaited<ReturnType<typeof workerStarts>>[]; drip: Awaited<ReturnType<typeof workerStarts>>[] } = { loads: [], empty: [], drip: [] }
  const [emptyBuild, dripBuild] = [timedBuild(true), timedBuild(false)]
  try {
    for (let run = 0; run < runs; run++) {
      samples.loads.push(await pageLoads(site.origin))
      samples.empty.push(await workerStarts(emptyBuild))
      samples.drip.push(await workerStarts(dripBuild))
    }
  } finally {
    await site.close()
  }
  const all = <T>(pick: (run: Awaited<ReturnType<typeof pageLoads>>) => T[]) => samples.loads.flatMap(pick)
  const cell = (values: Load[], key: keyof Load) => median(values.map((value) => value[key]))
  const setups: [string, Load[]][] = [
    ['without Drip', all((run) => run.without)],
    ["Drip, its worker running", all((run) => run.running)],
    ['Drip, right after Chrome ended its worker', all((run) => run.afterEnded)],
  ]
  const started = samples.loads.reduce((sum, run) => sum + run.startedByLoad, 0)
  console.log(`\nA page of 60 parts that never pays, Chromium, medians of ${runs} × ${loads} loads (ms)\n`)
  console.log('| setup | DOMContentLoaded | load |\n| --- | --- | --- |')
  for (const [name, values] of setups) console.log(`| ${name} | ${cell(values, 'domContentLoaded').toFixed(1)} | ${cell(values, 'load').toFixed(1)} |`)
  console.log(`\nThe loads right after Chrome ended the worker started it again ${started} times out of ${runs * loads}.`)
  const startRows: [string, Awaited<ReturnType<typeof workerStarts>>[]][] = [
    ['an empty worker', samples.empty],
    ["Drip's worker", samples.drip],
  ]
  // The first start after install loads from disk; the later ones are what a reader's next page meets.
  const later = (runsOf: Awaited<ReturnType<typeof workerStarts>>[], key: 'firstLine' | 'lastLine') => median(runsOf.flatMap((run) => run[key].slice(1)))
  console.log(`\nA worker's start, medians of ${runs} × ${starts - 1} starts after the first (ms from the worker's start)\n`)
  console.log("| worker | its first line runs | its last line has run | its own code's evaluation |\n| --- | --- | --- | --- |")
  for (const [name, runsOf] of startRows) {
    const [first, last] = [later(runsOf, 'firstLine'), later(runsOf, 'lastLine')]
    console.log(`| ${name} | ${first.toFixed(1)} | ${last.toFixed(1)} | ${(last - first).toFixed(1)} |`)
  }
  mkdirSync(`${repoRoot}bench-results`, { recursive: true })
  writeFileSync(`${repoRoot}bench-results/wake.json`, JSON.stringify(samples))
  console.log('\nEvery sample: bench-results/wake.json')
}

await main()
