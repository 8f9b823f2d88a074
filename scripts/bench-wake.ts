/**
 * `npm run bench:wake` (also run by `npm run bench`): what a page that never
 * pays pays for Drip's worker starting. Chrome ends an idle extension
 * worker after 30 s, and the reader's next page starts it again (Drip's
 * `webRequest` observation and its content script's hello both do). In
 * Chromium, on the no-harm site (`tests/support/noHarmSite.ts`):
 *
 * - the page of 60 parts, its DOMContentLoaded and load: without Drip,
 *   with Drip's worker running, and right after Chrome ended the worker
 *   (with how many of those loads started it again); the same with a
 *   worker that only observes statuses, for the browser's own part;
 * - where a start goes: copies of the build (under bench-results/) whose
 *   `background.js` notes `performance.now()`, the time since the worker
 *   began, at its first line and at its last; Drip's, and an empty worker
 *   for the browser's own part. Each is ended and started again by a
 *   message from an extension page. Then the same for the payment code
 *   (`payments.js`), which Drip's worker loads on its first request that
 *   needs it (`lib/background/lazyPayments.ts`): here the popup's first
 *   question, "wallet.status".
 *
 * - a page whose first script opens a same-origin socket: the time from
 *   that script to the open event, and how many open events were not the
 *   browser's own (Drip's copy, dispatched after its answer): without Drip,
 *   with Drip's worker running, and right after Chrome ended it.
 *
 * RUNS (default 3) × LOADS (default 10); a benchmark: it prints everything
 * and asserts nothing; bench-results/wake.json keeps every sample.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { Page, Worker } from 'playwright-core'
import { type ChromiumDrip, launchChromium, launchPlainChromium } from '../tests/support/browser/chromium'
import { chromeBuild, repoRoot } from '../tests/support/browser/paths'
import { startNoHarmSite } from '../tests/support/noHarmSite'
import { PopupPage } from '../tests/support/pages/popup'

const runs = Number(process.env.RUNS ?? 3)
/** `DRIP_CHROME_BUILD` measures another build (an older commit's, to compare). */
const build = process.env.DRIP_CHROME_BUILD ?? chromeBuild
/** Builds before the payment code became its own script have none: their worker loads everything at once. */
const separatePayments = existsSync(`${build}/payments.js`)
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

/** The 60-part page with an extension's worker running, and each time right after Chrome ended it. */
async function loadsAroundWorkerEnd(origin: string, extensionDir: string, withAccount: boolean) {
  const drip = await launchChromium({ extensionDir })
  const running: Load[] = []
  const afterEnded: Load[] = []
  let startedByLoad = 0
  try {
    if (withAccount) await new PopupPage(await drip.openPopup()).createAccount('correct horse battery')
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
  return { running, afterEnded, startedByLoad }
}

/**
 * A copy of the build whose worker only observes every request's status, as Drip's does, and does nothing else:
 * what any extension that watches statuses costs a page when its worker starts (the browser's part).
 */
function observerBuild(): string {
  const dir = `${repoRoot}bench-results/wake-builds/observer`
  rmSync(dir, { recursive: true, force: true })
  cpSync(build, dir, { recursive: true })
  writeFileSync(
    `${dir}/background.js`,
    "chrome.webRequest.onHeadersReceived.addListener(() => undefined, { urls: ['<all_urls>'] }, ['responseHeaders']);\nchrome.runtime.onMessage.addListener(() => undefined);\n",
  )
  return dir
}

/** The 60-part page without Drip; then with Drip, and with a worker that only observes, each running and right after Chrome ended it. */
async function pageLoads(origin: string, observer: string) {
  const plain = await launchPlainChromium()
  const without: Load[] = []
  try {
    const page = await plain.context.newPage()
    for (let i = 0; i < loads; i++) without.push(await loadManyParts(page, origin, `without=${i}`))
  } finally {
    await plain.close()
  }
  return { without, drip: await loadsAroundWorkerEnd(origin, build, true), observer: await loadsAroundWorkerEnd(origin, observer, false) }
}

type SocketOpen = { ms: number; trusted: boolean }

/** The first-script socket page (`noHarmSite.ts`), loaded in a fresh tab: when its socket opened, and whether the event was the browser's own. */
async function socketAtStart(newTab: () => Promise<Page>, origin: string, beforeLoad: (tab: Page) => Promise<void> = async () => {}): Promise<SocketOpen> {
  const tab = await newTab()
  try {
    await beforeLoad(tab)
    await tab.goto(`${origin}/socket-at-start`)
    return await tab.evaluate<SocketOpen>('window.socketOpened')
  } finally {
    await tab.close()
  }
}

/** The first-script socket without Drip, then with Drip (an account that approved nothing), its worker running and right after Chrome ended it. */
async function socketOpens(origin: string) {
  const plain = await launchPlainChromium()
  const without: SocketOpen[] = []
  try {
    for (let i = 0; i < loads; i++) without.push(await socketAtStart(() => plain.context.newPage(), origin))
  } finally {
    await plain.close()
  }
  const drip = await launchChromium({ extensionDir: build })
  const running: SocketOpen[] = []
  const afterEnded: SocketOpen[] = []
  try {
    await new PopupPage(await drip.openPopup()).createAccount('correct horse battery')
    for (let i = 0; i < loads; i++) {
      running.push(await socketAtStart(() => drip.context.newPage(), origin))
      afterEnded.push(await socketAtStart(() => drip.context.newPage(), origin, (tab) => drip.stopServiceWorker(tab)))
    }
  } finally {
    await drip.close()
  }
  return { without, running, afterEnded }
}

/** Wraps a script so it notes `performance.now()` at its first and last lines, under `globalThis[name + 'FirstLine' | 'LastLine']`. */
const timed = (name: string, script: string) => `globalThis.${name}FirstLine = performance.now();\n${script}\n;globalThis.${name}LastLine = performance.now();\n`

/** A copy of the build whose worker and payment code note when their first and last lines ran; `empty`: a worker of those two lines only. */
function timedBuild(empty: boolean): string {
  const dir = `${repoRoot}bench-results/wake-builds/${empty ? 'empty' : 'drip'}`
  rmSync(dir, { recursive: true, force: true })
  cpSync(build, dir, { recursive: true })
  const worker = empty ? 'chrome.runtime.onMessage.addListener(() => {});' : readFileSync(`${build}/background.js`, 'utf8')
  writeFileSync(`${dir}/background.js`, timed('benchWorker', worker))
  if (!empty && separatePayments) writeFileSync(`${dir}/payments.js`, timed('benchPayments', readFileSync(`${build}/payments.js`, 'utf8')))
  return dir
}

type Start = { firstLine: number; lastLine: number; payments?: { firstLine: number; lastLine: number } }

/**
 * Ends the worker and starts it again with a message, `starts` times: when its first and last lines ran. With
 * `popupAsks`, the message is the popup's "wallet.status", and the payment code's own lines are noted too.
 */
async function workerStarts(extensionDir: string, popupAsks: boolean): Promise<Start[]> {
  const drip = await launchChromium({ extensionDir })
  const found: Start[] = []
  try {
    const page = await drip.context.newPage()
    await page.goto(`chrome-extension://${drip.extensionId}/manifest.json`)
    for (let i = 0; i < starts; i++) {
      await drip.stopServiceWorker(page)
      const message = popupAsks ? `{ drip: 1, method: 'wallet.status' }` : `'wake'`
      // A message sent while Chrome still tears the old worker down may start none (\`npm run bench\` stopped there twice,
      // at 12:30 and 14:49 UTC on 2026-12-06, once after waiting 35 s): asked again every 5 s, up to six times. The
      // figures are the worker's own clock, from its start, so a second message does not move them.
      let worker: Worker | undefined
      for (let asked = 0; !worker && asked < 6; asked++) {
        const restarted = drip.context.waitForEvent('serviceworker', { timeout: 5_000 }).catch(() => undefined)
        await page.evaluate(`chrome.runtime.sendMessage(${message}).catch(() => undefined)`)
        worker = (await restarted) ?? drip.context.serviceWorkers()[0]
      }
      if (!worker) throw new Error('Chrome started no worker for six messages, 5 s apart.')
      const lines = await worker.evaluate<number[]>('[globalThis.benchWorkerFirstLine, globalThis.benchWorkerLastLine, globalThis.benchPaymentsFirstLine, globalThis.benchPaymentsLastLine]')
      const [firstLine, lastLine, paymentsFirst, paymentsLast] = lines as [number, number, number | undefined, number | undefined]
      found.push({ firstLine, lastLine, ...(paymentsFirst === undefined ? {} : { payments: { firstLine: paymentsFirst, lastLine: paymentsLast! } }) })
    }
  } finally {
    await drip.close()
  }
  return found
}

async function main() {
  const site = await startNoHarmSite()
  const samples: { loads: Awaited<ReturnType<typeof pageLoads>>[]; sockets: Awaited<ReturnType<typeof socketOpens>>[]; empty: Start[][]; drip: Start[][]; dripPaying: Start[][] } = {
    loads: [],
    sockets: [],
    empty: [],
    drip: [],
    dripPaying: [],
  }
  const [emptyBuild, dripBuild, observer] = [timedBuild(true), timedBuild(false), observerBuild()]
  try {
    for (let run = 0; run < runs; run++) {
      samples.loads.push(await pageLoads(site.origin, observer))
      samples.sockets.push(await socketOpens(site.origin))
      samples.empty.push(await workerStarts(emptyBuild, false))
      samples.drip.push(await workerStarts(dripBuild, false))
      if (separatePayments) samples.dripPaying.push(await workerStarts(dripBuild, true))
    }
  } finally {
    await site.close()
  }
  const all = <T>(pick: (run: Awaited<ReturnType<typeof pageLoads>>) => T[]) => samples.loads.flatMap(pick)
  const cell = (values: Load[], key: keyof Load) => median(values.map((value) => value[key]))
  const setups: [string, Load[]][] = [
    ['without Drip', all((run) => run.without)],
    ["Drip, its worker running", all((run) => run.drip.running)],
    ['Drip, right after Chrome ended its worker', all((run) => run.drip.afterEnded)],
    ['a worker that only observes statuses, running', all((run) => run.observer.running)],
    ['a worker that only observes statuses, right after Chrome ended it', all((run) => run.observer.afterEnded)],
  ]
  const started = samples.loads.reduce((sum, run) => sum + run.drip.startedByLoad, 0)
  console.log(`\nA page of 60 parts that never pays, Chromium, medians of ${runs} × ${loads} loads (ms); build ${build}\n`)
  console.log('| setup | DOMContentLoaded | load |\n| --- | --- | --- |')
  for (const [name, values] of setups) console.log(`| ${name} | ${cell(values, 'domContentLoaded').toFixed(1)} | ${cell(values, 'load').toFixed(1)} |`)
  console.log(`\nThe loads right after Chrome ended Drip's worker started it again ${started} times out of ${runs * loads}.`)
  console.log(`\nA socket the page's first script opens (same origin, the site never pays), ${runs} × ${loads} fresh tabs per setup\n`)
  console.log("| setup | open event after the script, median ms | open events not the browser's own |\n| --- | --- | --- |")
  const socketSetups: [string, SocketOpen[]][] = [
    ['without Drip', samples.sockets.flatMap((run) => run.without)],
    ["Drip, its worker running", samples.sockets.flatMap((run) => run.running)],
    ['Drip, right after Chrome ended its worker', samples.sockets.flatMap((run) => run.afterEnded)],
  ]
  for (const [name, opens] of socketSetups) console.log(`| ${name} | ${median(opens.map((open) => open.ms)).toFixed(1)} | ${opens.filter((open) => !open.trusted).length} of ${opens.length} |`)
  // The first start after install loads from disk; the later ones are what a reader's next page meets.
  const later = (runsOf: Start[][], pick: (start: Start) => number | undefined) =>
    median(runsOf.flatMap((run) => run.slice(1).map(pick)).filter((value): value is number => value !== undefined))
  type Row = [string, Start[][], (start: Start) => number | undefined, (start: Start) => number | undefined]
  const startRows: Row[] = [
    ['an empty worker', samples.empty, (start) => start.firstLine, (start) => start.lastLine],
    ["Drip's worker (what a page's request or hello starts)", samples.drip, (start) => start.firstLine, (start) => start.lastLine],
  ]
  if (separatePayments)
    startRows.push(["Drip's payment code, loaded for the popup's first question", samples.dripPaying, (start) => start.payments?.firstLine, (start) => start.payments?.lastLine])
  console.log(`\nA worker's start, medians of ${runs} × ${starts - 1} starts after the first (ms from the worker's start)\n`)
  console.log("| script | its first line runs | its last line has run | its own code's evaluation |\n| --- | --- | --- | --- |")
  for (const [name, runsOf, first, last] of startRows) {
    const [firstMs, lastMs] = [later(runsOf, first), later(runsOf, last)]
    console.log(`| ${name} | ${firstMs.toFixed(1)} | ${lastMs.toFixed(1)} | ${(lastMs - firstMs).toFixed(1)} |`)
  }
  mkdirSync(`${repoRoot}bench-results`, { recursive: true })
  writeFileSync(`${repoRoot}bench-results/wake.json`, JSON.stringify(samples))
  console.log('\nEvery sample: bench-results/wake.json')
}

await main()
