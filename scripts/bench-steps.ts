/**
 * `npm run bench:steps`: a paid request step by step, from inside Drip, in
 * Chromium. Drip is built with its step marks (`lib/shared/stepMarks.ts`:
 * `WXT_STEP_MARKS=1`, into `.output/chrome-mv3-step-marks`; every other
 * build marks nothing), and each step of a payment leaves a mark on the
 * timeline of the context it runs in: the page, the content script (the
 * page's timeline too) and the worker. This script reads the marks after
 * each request and prints, for each step, the time from the mark before
 * it: the median and the least.
 *
 * - A paid photo on an open channel, from the page's `fetch` of a URL its
 *   tab had paid (it goes straight to Drip) to the page's JSON.
 * - A new channel (the site's channel closed from the popup first): a
 *   photo, as above; and the first word of an article the page fetches as
 *   it loads (its own `fetch`, the site's 402 first), from the page's
 *   request, with the moment the 402's head reached the page's network
 *   layer (its resource timing).
 *
 * Page and worker marks are on the wall clock (time origin plus mark), so a
 * step that crosses from one to the other carries their clocks' skew, a
 * fraction of a ms. A benchmark: it prints everything and asserts nothing.
 *
 *   PHOTOS=60   photos on an open channel (after 10 not measured)
 *   RUNS=5      new channels, each measured for a photo and an article
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { repoRoot } from '../tests/support/browser/paths'

process.env.DRIP_CHROME_BUILD ??= `${repoRoot}.output/chrome-mv3-step-marks`
const { launchFundedDrip, openApproved } = await import('../tests/support/browser/fundedDrip')
const { startDevnetAndDemo } = await import('../tests/support/demoSite')

const photos = Number(process.env.PHOTOS ?? 60)
const runs = Number(process.env.RUNS ?? 5)
const photoPath = '/api/sessions/photo'
const slug = 'metered-reading'

type Mark = [step: string, at: number]
type Steps = Map<string, number[]>

/** The marks of one context since its last clear, on the wall clock; cleared for the next request. */
const marksOf = `(() => {
  const marks = performance.getEntriesByType('mark').map((mark) => [mark.name, performance.timeOrigin + mark.startTime])
  performance.clearMarks()
  return marks
})()`

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Adds each step of one request (first mark of each name, in time order, up to `end`) to `steps`, as the time from the mark before. */
function addSteps(steps: Steps, marks: Mark[], start: Mark, end: number) {
  const seen = new Set<string>()
  let previous = start
  for (const mark of [...marks].sort((a, b) => a[1] - b[1])) {
    if (mark[1] > end + 1 || seen.has(mark[0])) continue
    seen.add(mark[0])
    const name = `${previous[0]} → ${mark[0]}`
    steps.set(name, [...(steps.get(name) ?? []), mark[1] - previous[1]])
    previous = mark
  }
}

function print(title: string, steps: Steps, count: number) {
  console.log(`\n${title}`)
  const rows = [...steps].filter(([, values]) => values.length >= count / 2)
  for (const [name, values] of rows) console.log(`  ${name.padEnd(84)} median ${median(values).toFixed(1).padStart(5)}  least ${Math.min(...values).toFixed(1).padStart(5)}  (${values.length})`)
  console.log(`  ${'sum of the medians'.padEnd(84)} ${rows.reduce((sum, [, values]) => sum + median(values), 0).toFixed(1).padStart(12)}`)
  return Object.fromEntries(rows)
}

/** One photo from the page's own `fetch`, its JSON read: the page's, the content script's and the worker's marks. */
async function markedPhoto(page: Page, worker: { evaluate<T>(expression: string): Promise<T> }) {
  const [start, end] = (await page.evaluate(`(async () => {
    const start = performance.timeOrigin + performance.now()
    const response = await fetch('${photoPath}')
    await response.json()
    return [start, performance.timeOrigin + performance.now(), response.status]
  })()`)) as [number, number, number]
  // The worker notes the payment after the page has its answer: its marks wait for it.
  await new Promise((resolve) => setTimeout(resolve, 50))
  const marks = [...(await page.evaluate<Mark[]>(marksOf)), ...(await worker.evaluate<Mark[]>(marksOf))]
  return { marks: [...marks, ['page: JSON read', end] as Mark], start: ['page: fetch called', start] as Mark, end }
}

async function main() {
  const env = await startDevnetAndDemo()
  const origin = env.demo.origin
  const funded = await launchFundedDrip(env.devnet.url)
  const { drip, popupPage, popup } = funded
  const results: Record<string, unknown> = { at: new Date().toISOString(), photos, runs }
  try {
    const { page: gallery, first } = await openApproved<number>(funded, `${origin}/gallery`, `fetch('${photoPath}').then((r) => r.status)`)
    if (first !== 200) throw new Error(`The first photo was not paid (HTTP ${first}).`)
    await popupPage.goto('about:blank')
    await gallery.bringToFront()
    const worker = drip.serviceWorker
    for (let i = 0; i < 10; i++) await markedPhoto(gallery, worker)
    const openSteps: Steps = new Map()
    const wholes: number[] = []
    for (let i = 0; i < photos; i++) {
      const photo = await markedPhoto(gallery, worker)
      if (!photo.marks.some(([step]) => step.startsWith('worker:'))) throw new Error(`${process.env.DRIP_CHROME_BUILD} is not built with step marks: run npm run bench:steps.`)
      addSteps(openSteps, photo.marks, photo.start, photo.end)
      wholes.push(photo.end - photo.start[1])
    }
    console.log(`A paid photo on an open channel, whole: median ${median(wholes).toFixed(1)} ms, least ${Math.min(...wholes).toFixed(1)} (${photos} photos)`)
    results.openChannelPhoto = { whole: wholes, steps: print('A paid photo on an open channel, step by step (ms)', openSteps, photos) }

    const article = await drip.context.newPage()
    // The page notes when its first word shows (its text's word count leaves 0).
    await article.addInitScript(`new MutationObserver((_, observer) => {
      if (Number(document.getElementById('text')?.dataset.words ?? 0) === 0) return
      window.benchFirstWord = performance.timeOrigin + performance.now()
      observer.disconnect()
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-words'] })`)
    const newPhotoSteps: Steps = new Map()
    const newArticleSteps: Steps = new Map()
    const firstWords: number[] = []
    for (let run = 0; run < runs; run++) {
      const closeTheSitesChannel = async () => {
        await popupPage.bringToFront()
        await popupPage.goto(`chrome-extension://${drip.extensionId}/popup.html`)
        await popup.waitForScreen('wallet')
        await popup.closeChannel(origin)
        await popupPage.goto('about:blank')
      }
      await closeTheSitesChannel()
      await gallery.bringToFront()
      await worker.evaluate(marksOf)
      const photo = await markedPhoto(gallery, worker)
      addSteps(newPhotoSteps, photo.marks, photo.start, photo.end)

      await closeTheSitesChannel()
      await article.bringToFront()
      // A page new to the tab, as a reader opens an article: the page's own fetch asks the site first.
      await article.goto(`${origin}/`)
      await article.evaluate('sessionStorage.clear()')
      await article.goto('about:blank')
      await worker.evaluate(marksOf)
      await article.goto(`${origin}/real/article/${slug}`, { waitUntil: 'commit' })
      await article.waitForFunction('window.benchFirstWord !== undefined', undefined, { timeout: 60_000 })
      const [requested, word, headIn] = (await article.evaluate(`(() => {
        const at = (time) => performance.timeOrigin + time
        const request = performance.getEntriesByName('text-requested')[0]
        const site = performance.getEntriesByType('resource').find((entry) => entry.name.includes('/api/sessions/'))
        return [at(request.startTime), window.benchFirstWord, site ? at(site.responseStart) : null]
      })()`)) as [number, number, number | null]
      await new Promise((resolve) => setTimeout(resolve, 50))
      const marks: Mark[] = [...(await article.evaluate<Mark[]>(marksOf)), ...(await worker.evaluate<Mark[]>(marksOf)), ['page: first word shown', word]]
      if (headIn !== null) marks.push(["page: the 402's head in (resource timing)", headIn])
      addSteps(newArticleSteps, marks, ["page: the article's request", requested], word)
      firstWords.push(word - requested)
      await article.goto('about:blank')
    }
    results.newChannelPhoto = print('A paid photo on a new channel, step by step (ms)', newPhotoSteps, runs)
    console.log(`\nAn article's first word on a new channel, from the page's request: median ${median(firstWords).toFixed(1)} ms (${firstWords.map((ms) => ms.toFixed(1)).join(', ')})`)
    results.newChannelArticle = { firstWords, steps: print("An article's first word on a new channel, step by step (ms)", newArticleSteps, runs) }
  } finally {
    await drip.close()
    await env.stop()
  }
  mkdirSync(`${repoRoot}bench-results`, { recursive: true })
  writeFileSync(`${repoRoot}bench-results/steps.json`, `${JSON.stringify(results, null, 2)}\n`)
}

await main()
