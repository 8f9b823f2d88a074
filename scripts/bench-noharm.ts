/**
 * `npm run bench` (last part): what Drip costs a page that never pays, in
 * Chromium, on the no-harm suite's site (`tests/support/noHarmSite.ts`):
 * without Drip, and with Drip holding an account that approved nothing.
 * Then part by part: the same build with parts taken out of its manifest
 * (copies under bench-results/, the build itself untouched), so each row
 * shows what one part adds: the extension alone (no content script, no
 * host access, so `webRequest` sees nothing), plus the `<all_urls>`
 * observation of statuses, plus the isolated content script, plus the
 * page-world script (all of Drip).
 *
 * - 1,000 sequential `fetch`es of a small JSON resource: the median and
 *   the 90th percentile per request;
 * - 100 XMLHttpRequests the same way;
 * - DOMContentLoaded of a small page, 30 loads;
 * - DOMContentLoaded and load of a page of many parts (10 style sheets
 *   and 30 scripts in its head, 20 images, none cached), 20 loads: what
 *   Drip adds per request, as a page with many requests adds it up.
 *
 * Last, Drip's page-world wrappers alone, without the noise between
 * launches: in one page with Drip, the page's `fetch` and `XMLHttpRequest`
 * (Drip's) and those of a same-origin frame of it (the browser's own: Drip's
 * page-world script runs in the top frame only) take turns, request by
 * request, so both see the same browser, worker and moment. The frame's
 * requests are observed by Drip's worker as the page's are, so the
 * difference is the wrappers' own cost; and for XHR, the page's main-thread
 * time in `new`, `open` and `send`. In Chromium, then in Firefox ESR.
 *
 * Samples alternate between the setups run by run (RUNS, default 3),
 * one browser at a time. A benchmark: it prints everything and asserts
 * nothing; bench-results/noharm.json keeps every sample.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { BrowserContext } from 'playwright-core'
import { launchChromium, launchPlainChromium } from '../tests/support/browser/chromium'
import { launchFirefox } from '../tests/support/browser/firefox'
import { chromeBuild, repoRoot } from '../tests/support/browser/paths'
import { startNoHarmSite } from '../tests/support/noHarmSite'
import { PopupPage } from '../tests/support/pages/popup'

const runs = Number(process.env.RUNS ?? 3)
const fetches = 1_000
const requests = 100
const loads = 30
const manyPartsLoads = 20

type Sample = { fetchMs: number[]; xhrMs: number[]; domContentLoadedMs: number[]; manyPartsDomContentLoadedMs: number[]; manyPartsLoadMs: number[] }

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}

async function measure(context: BrowserContext, origin: string): Promise<Sample> {
  const page = await context.newPage()
  await page.goto(`${origin}/blank`)
  const fetchMs = await page.evaluate<number[]>(`(async () => {
    const times = []
    for (let i = 0; i < ${fetches}; i++) { const t = performance.now(); await (await fetch('/json')).json(); times.push(performance.now() - t) }
    return times
  })()`)
  const xhrMs = await page.evaluate<number[]>(`(async () => {
    const times = []
    for (let i = 0; i < ${requests}; i++) {
      const t = performance.now()
      await new Promise((resolve) => { const x = new XMLHttpRequest(); x.onloadend = resolve; x.open('GET', '/json'); x.send() })
      times.push(performance.now() - t)
    }
    return times
  })()`)
  const domContentLoadedMs: number[] = []
  for (let i = 0; i < loads; i++) {
    await page.goto(`${origin}/blank?load=${i}`)
    domContentLoadedMs.push(await page.evaluate<number>(`performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd`))
  }
  const manyPartsDomContentLoadedMs: number[] = []
  const manyPartsLoadMs: number[] = []
  for (let i = 0; i < manyPartsLoads; i++) {
    await page.goto(`${origin}/many-parts?load=${i}`, { waitUntil: 'load' })
    const [domContentLoaded, load] = await page.evaluate<[number, number]>(`(() => { const n = performance.getEntriesByType('navigation')[0]; return [n.domContentLoadedEventEnd, n.loadEventStart] })()`)
    manyPartsDomContentLoadedMs.push(domContentLoaded)
    manyPartsLoadMs.push(load)
  }
  await page.close()
  return { fetchMs, xhrMs, domContentLoadedMs, manyPartsDomContentLoadedMs, manyPartsLoadMs }
}

type Manifest = { host_permissions?: string[]; content_scripts?: { world?: string }[] }

/** Drip's parts, each setup adding one to the one before; `keep` edits a copy of the build's manifest. */
const parts: { name: string; keep?: (manifest: Manifest) => Manifest }[] = [
  { name: 'without Drip' },
  { name: 'extension only', keep: (m) => ({ ...m, host_permissions: [], content_scripts: [] }) },
  { name: '+ status observation', keep: (m) => ({ ...m, content_scripts: [] }) },
  { name: '+ isolated script', keep: (m) => ({ ...m, content_scripts: m.content_scripts?.filter((script) => script.world !== 'MAIN') }) },
  { name: '+ page-world script (all of Drip)', keep: (m) => m },
]

function buildWith(name: string, keep: (manifest: Manifest) => Manifest): string {
  const dir = `${repoRoot}bench-results/noharm-builds/${name.replace(/[^a-z]+/gi, '-')}`
  rmSync(dir, { recursive: true, force: true })
  cpSync(chromeBuild, dir, { recursive: true })
  const manifest = JSON.parse(readFileSync(`${chromeBuild}/manifest.json`, 'utf8')) as Manifest
  writeFileSync(`${dir}/manifest.json`, JSON.stringify(keep(manifest)))
  return dir
}

async function sample(name: string, keep: ((manifest: Manifest) => Manifest) | undefined, origin: string): Promise<Sample> {
  if (!keep) {
    const plain = await launchPlainChromium()
    try {
      return await measure(plain.context, origin)
    } finally {
      await plain.close()
    }
  }
  const drip = await launchChromium({ extensionDir: buildWith(name, keep) })
  try {
    await new PopupPage(await drip.openPopup()).createAccount('correct horse battery')
    return await measure(drip.context, origin)
  } finally {
    await drip.close()
  }
}

/** Requests in turns: the browser's first on even turns, Drip's first on odd ones. */
const sideBySideFetches = 2_000
const sideBySideRequests = 1_000

type SideBySide = { fetch: Record<'drip' | 'browser', number[]>; xhr: Record<'drip' | 'browser', number[]>; xhrMainThreadUs: Record<'drip' | 'browser', [number[], number[], number[]]> }

/** A page with Drip (an account that approved nothing) in either browser, and how to end it. */
type DripPage = { page: { goto(url: string): Promise<unknown>; evaluate(source: string): Promise<unknown> }; close(): Promise<void> }

const dripPages: Record<'Chromium' | 'Firefox ESR', () => Promise<DripPage>> = {
  async Chromium() {
    const drip = await launchChromium()
    await new PopupPage(await drip.openPopup()).createAccount('correct horse battery')
    return { page: await drip.context.newPage(), close: () => drip.close() }
  },
  async 'Firefox ESR'() {
    // Firefox gives pages performance.now() in whole milliseconds unless told otherwise: too coarse for these means.
    const drip = await launchFirefox({ prefs: { 'privacy.reduceTimerPrecision': false } })
    await new PopupPage(await drip.openPopup()).createAccount('correct horse battery')
    return { page: await drip.browser.newPage(), close: () => drip.close() }
  },
}

async function sideBySide(origin: string, open: () => Promise<DripPage>): Promise<SideBySide> {
  const drip = await open()
  try {
    const { page } = drip
    await page.goto(`${origin}/blank`)
    return (await page.evaluate(`(async () => {
      const frame = document.createElement('iframe')
      document.body.append(frame)
      const own = frame.contentWindow
      if (own.fetch === fetch || own.XMLHttpRequest === XMLHttpRequest) throw new Error('The frame has Drip’s wrappers: nothing to compare.')
      const url = location.origin + '/json'
      const kinds = { drip: window, browser: own }
      const result = { fetch: { drip: [], browser: [] }, xhr: { drip: [], browser: [] }, xhrMainThreadUs: { drip: [[], [], []], browser: [[], [], []] } }
      const order = (i) => (i % 2 ? ['drip', 'browser'] : ['browser', 'drip'])
      for (let i = 0; i < ${sideBySideFetches}; i++) for (const kind of order(i)) {
        const t = performance.now()
        await (await kinds[kind].fetch(url)).json()
        result.fetch[kind].push(performance.now() - t)
      }
      for (let i = 0; i < ${sideBySideRequests}; i++) for (const kind of order(i)) {
        const [made, opened, sent] = result.xhrMainThreadUs[kind]
        const t = performance.now()
        await new Promise((resolve) => {
          const x = new kinds[kind].XMLHttpRequest()
          const a = performance.now()
          x.onloadend = resolve
          x.open('GET', url)
          const b = performance.now()
          x.send()
          const c = performance.now()
          made.push((a - t) * 1000); opened.push((b - a) * 1000); sent.push((c - b) * 1000)
        })
        result.xhr[kind].push(performance.now() - t)
      }
      return result
    })()`)) as SideBySide
  } finally {
    await drip.close()
  }
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length

function printSideBySide(browserName: string, result: SideBySide) {
  console.log(`\n${browserName}: Drip's page-world wrappers against the browser's own, in one page with Drip, requests in turns (ms; a same-origin frame's fetch and XMLHttpRequest are the browser's own)\n`)
  console.log('| figure | the browser\'s own | Drip\'s | Drip adds |')
  console.log('| --- | --- | --- | --- |')
  for (const [label, values] of [[`fetch, ${sideBySideFetches} each`, result.fetch], [`XMLHttpRequest, ${sideBySideRequests} each`, result.xhr]] as const) {
    for (const [what, figure] of [['median', (v: number[]) => quantile(v, 0.5)], ['mean', mean]] as const) {
      const browser = figure(values.browser)
      const drip = figure(values.drip)
      console.log(`| ${label}, ${what} | ${browser.toFixed(3)} | ${drip.toFixed(3)} | ${(drip - browser).toFixed(3)} |`)
    }
  }
  const [made, opened, sent] = [0, 1, 2].map((index) => [mean(result.xhrMainThreadUs.browser[index]!), mean(result.xhrMainThreadUs.drip[index]!)] as const)
  console.log(`\nXMLHttpRequest, the page's main thread, means in µs (browser → Drip): new ${made![0].toFixed(0)} → ${made![1].toFixed(0)}, open ${opened![0].toFixed(0)} → ${opened![1].toFixed(0)}, send ${sent![0].toFixed(0)} → ${sent![1].toFixed(0)}`)
  if (browserName === 'Chromium') console.log("(Chrome gives a page performance.now() in steps of 0.1 ms with jitter: medians move in those steps; the means over many requests are finer.)")
}

async function main() {
  const site = await startNoHarmSite()
  const all: Record<string, Sample[]> = Object.fromEntries(parts.map((part) => [part.name, []]))
  const inTurns: Record<string, SideBySide> = {}
  try {
    for (let run = 0; run < runs; run++) for (const part of parts) all[part.name]!.push(await sample(part.name, part.keep, site.origin))
    for (const [browserName, open] of Object.entries(dripPages)) inTurns[browserName] = await sideBySide(site.origin, open)
  } finally {
    await site.close()
  }
  const figure = (samples: Sample[], key: keyof Sample, q: number) => quantile(samples.flatMap((s) => s[key]), q)
  const rows: [string, keyof Sample, number][] = [
    [`fetch, median of ${runs} × ${fetches} (ms)`, 'fetchMs', 0.5],
    [`fetch, 90th percentile (ms)`, 'fetchMs', 0.9],
    [`XMLHttpRequest, median of ${runs} × ${requests} (ms)`, 'xhrMs', 0.5],
    [`DOMContentLoaded, median of ${runs} × ${loads} (ms)`, 'domContentLoadedMs', 0.5],
    [`a page of 60 parts: DOMContentLoaded, median of ${runs} × ${manyPartsLoads} (ms)`, 'manyPartsDomContentLoadedMs', 0.5],
    [`a page of 60 parts: load, median of ${runs} × ${manyPartsLoads} (ms)`, 'manyPartsLoadMs', 0.5],
  ]
  const without = all['without Drip']!
  const whole = all[parts.at(-1)!.name]!
  console.log('\nA page that never pays, Chromium: without Drip and with Drip (an account that approved nothing)\n')
  console.log('| figure | without Drip | with Drip | Drip adds |')
  console.log('| --- | --- | --- | --- |')
  for (const [label, key, q] of rows) {
    const before = figure(without, key, q)
    const after = figure(whole, key, q)
    console.log(`| ${label} | ${before.toFixed(2)} | ${after.toFixed(2)} | ${(after - before).toFixed(2)} |`)
  }
  console.log('\nPart by part, medians (ms): each setup adds one part to the row above; the step is what that part adds\n')
  console.log('| setup | fetch | step | XMLHttpRequest | step | DOMContentLoaded | step | 60 parts: DOMContentLoaded | step | 60 parts: load | step |')
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  parts.forEach((part, index) => {
    const cells = (['fetchMs', 'xhrMs', 'domContentLoadedMs', 'manyPartsDomContentLoadedMs', 'manyPartsLoadMs'] as const).flatMap((key) => {
      const value = figure(all[part.name]!, key, 0.5)
      const step = index === 0 ? '' : (value - figure(all[parts[index - 1]!.name]!, key, 0.5)).toFixed(2)
      return [value.toFixed(2), step]
    })
    console.log(`| ${part.name} | ${cells.join(' | ')} |`)
  })
  for (const [browserName, result] of Object.entries(inTurns)) printSideBySide(browserName, result)
  mkdirSync(`${repoRoot}bench-results`, { recursive: true })
  writeFileSync(`${repoRoot}bench-results/noharm.json`, JSON.stringify({ ...all, inTurns }))
  console.log('\nEvery sample: bench-results/noharm.json')
}

await main()
