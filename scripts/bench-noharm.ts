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
 * Samples alternate between the setups run by run (RUNS, default 3),
 * one browser at a time. A benchmark: it prints everything and asserts
 * nothing; bench-results/noharm.json keeps every sample.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { BrowserContext } from 'playwright-core'
import { launchChromium, launchPlainChromium } from '../tests/support/browser/chromium'
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

async function main() {
  const site = await startNoHarmSite()
  const all: Record<string, Sample[]> = Object.fromEntries(parts.map((part) => [part.name, []]))
  try {
    for (let run = 0; run < runs; run++) for (const part of parts) all[part.name]!.push(await sample(part.name, part.keep, site.origin))
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
  mkdirSync(`${repoRoot}bench-results`, { recursive: true })
  writeFileSync(`${repoRoot}bench-results/noharm.json`, JSON.stringify(all))
  console.log('\nEvery sample: bench-results/noharm.json')
}

await main()
