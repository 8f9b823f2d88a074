/**
 * `npm run bench` (last part): what Drip costs a page that never pays, in
 * Chromium, on the no-harm suite's site (`tests/support/noHarmSite.ts`):
 * without Drip, and with Drip holding an account that approved nothing.
 *
 * - 1,000 sequential `fetch`es of a small JSON resource: the median and
 *   the 90th percentile per request;
 * - 100 XMLHttpRequests the same way;
 * - DOMContentLoaded of a small page, 30 loads.
 *
 * Samples alternate between the two browsers run by run (RUNS, default 3),
 * one browser at a time. A benchmark: it prints everything and asserts
 * nothing; bench-results/noharm.json keeps every sample.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import type { BrowserContext } from 'playwright-core'
import { launchChromium, launchPlainChromium } from '../tests/support/browser/chromium'
import { repoRoot } from '../tests/support/browser/paths'
import { startNoHarmSite } from '../tests/support/noHarmSite'
import { PopupPage } from '../tests/support/pages/popup'

const runs = Number(process.env.RUNS ?? 3)
const fetches = 1_000
const requests = 100
const loads = 30

type Sample = { fetchMs: number[]; xhrMs: number[]; domContentLoadedMs: number[] }

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
  await page.close()
  return { fetchMs, xhrMs, domContentLoadedMs }
}

async function main() {
  const site = await startNoHarmSite()
  const all: Record<'without Drip' | 'with Drip', Sample[]> = { 'without Drip': [], 'with Drip': [] }
  try {
    for (let run = 0; run < runs; run++) {
      const plain = await launchPlainChromium()
      try {
        all['without Drip'].push(await measure(plain.context, site.origin))
      } finally {
        await plain.close()
      }
      const drip = await launchChromium()
      try {
        await new PopupPage(await drip.openPopup()).createAccount('correct horse battery')
        all['with Drip'].push(await measure(drip.context, site.origin))
      } finally {
        await drip.close()
      }
    }
  } finally {
    await site.close()
  }
  const figure = (samples: Sample[], key: keyof Sample, q: number) => quantile(samples.flatMap((s) => s[key]), q)
  const rows: [string, keyof Sample, number][] = [
    [`fetch, median of ${runs} × ${fetches} (ms)`, 'fetchMs', 0.5],
    [`fetch, 90th percentile (ms)`, 'fetchMs', 0.9],
    [`XMLHttpRequest, median of ${runs} × ${requests} (ms)`, 'xhrMs', 0.5],
    [`DOMContentLoaded, median of ${runs} × ${loads} (ms)`, 'domContentLoadedMs', 0.5],
  ]
  console.log('\nA page that never pays, Chromium: without Drip and with Drip (an account that approved nothing)\n')
  console.log('| figure | without Drip | with Drip | Drip adds |')
  console.log('| --- | --- | --- | --- |')
  for (const [label, key, q] of rows) {
    const without = figure(all['without Drip'], key, q)
    const withDrip = figure(all['with Drip'], key, q)
    console.log(`| ${label} | ${without.toFixed(2)} | ${withDrip.toFixed(2)} | ${(withDrip - without).toFixed(2)} |`)
  }
  mkdirSync(`${repoRoot}bench-results`, { recursive: true })
  writeFileSync(`${repoRoot}bench-results/noharm.json`, JSON.stringify(all))
  console.log('\nEvery sample: bench-results/noharm.json')
}

await main()
