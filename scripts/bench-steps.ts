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
 *   request, with the moment the browser had the 402's head (its network
 *   timing, over CDP).
 * - The bound of that 402 while the page loads: the same article in
 *   Chromium without Drip, from the browser having the 402's head to the
 *   page's `fetch` resolving with it (the page then shows "402"), beside
 *   the same step with Drip (to its step mark). LOADS loads each.
 *
 * Page and worker marks are on the wall clock (time origin plus mark), so a
 * step that crosses from one to the other carries their clocks' skew, a
 * fraction of a ms. A benchmark: it prints everything and asserts nothing.
 *
 *   PHOTOS=60   photos on an open channel (after 10 not measured)
 *   RUNS=5      new channels, each measured for a photo and an article
 *   LOADS=12    article loads with and without Drip for the 402's bound
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import type { BrowserContext, Page } from 'playwright-core'
import { launchPlainChromium } from '../tests/support/browser/chromium'
import { launchFundedDrip, openApproved } from '../tests/support/browser/fundedDrip'
import { repoRoot } from '../tests/support/browser/paths'
import { startDevnetAndDemo } from '../tests/support/demoSite'

// Drip as `npm run bench:steps` builds it, with its step marks (`DRIP_CHROME_BUILD` still names another).
process.env.DRIP_CHROME_BUILD ??= `${repoRoot}.output/chrome-mv3-step-marks`

const photos = Number(process.env.PHOTOS ?? 60)
const runs = Number(process.env.RUNS ?? 5)
const loads = Number(process.env.LOADS ?? 12)
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
  const [start, end, status] = (await page.evaluate(`(async () => {
    const start = performance.timeOrigin + performance.now()
    const response = await fetch('${photoPath}')
    await response.json()
    return [start, performance.timeOrigin + performance.now(), response.status]
  })()`)) as [number, number, number]
  if (status !== 200) throw new Error(`A photo was not paid (HTTP ${status}).`)
  // The worker notes the payment after the page has its answer: its marks wait for it.
  await new Promise((resolve) => setTimeout(resolve, 50))
  const marks = [...(await page.evaluate<Mark[]>(marksOf)), ...(await worker.evaluate<Mark[]>(marksOf))]
  return { marks: [...marks, ['page: JSON read', end] as Mark], start: ['page: fetch called', start] as Mark, end }
}

/**
 * Noted by an article page: when its first word shows, when it shows the site's 402 (as without a wallet), and when
 * Drip's page script had that 402 (its step mark). Each is told on the console: Node waits for that, not with
 * Playwright's evaluate, whose first call in a page evaluates Playwright's own script there (330 KB, 9–14 ms of the
 * page's main thread in a trace), in the middle of the load being measured.
 */
const pageNotes = `(() => {
  const now = () => performance.timeOrigin + performance.now()
  const tell = (what) => console.debug('bench: ' + what)
  new MutationObserver((_, observer) => {
    const text = document.getElementById('text')
    if (text?.dataset.state === 'unpaid' && window.benchUnpaid === undefined) (window.benchUnpaid = now()), tell('unpaid')
    if (Number(text?.dataset.words ?? 0) > 0 && window.benchFirstWord === undefined) (window.benchFirstWord = now()), tell('first word')
    if (window.benchFirstWord !== undefined || window.benchUnpaid !== undefined) observer.disconnect()
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-words', 'data-state'] })
  new PerformanceObserver((marks) => {
    if (marks.getEntries().some((mark) => mark.name === "page: the site's 402")) tell('402')
  }).observe({ type: 'mark' })
})()`

/** When the browser had the head of the page's last 402 from the demo's session API (wall clock, from its network timing over CDP). */
async function watch402(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page)
  const sent = new Map<string, { wallTime: number; timestamp: number }>()
  let headIn = Number.NaN
  cdp.on('Network.requestWillBeSent', (event) => {
    if (new URL(event.request.url).pathname.startsWith('/api/sessions/')) sent.set(event.requestId, { wallTime: event.wallTime, timestamp: event.timestamp })
  })
  cdp.on('Network.responseReceived', (event) => {
    const request = sent.get(event.requestId)
    const timing = event.response.timing
    if (request && timing && event.response.status === 402) headIn = request.wallTime * 1000 + (timing.requestTime - request.timestamp) * 1000 + timing.receiveHeadersEnd
  })
  await cdp.send('Network.enable')
  return { headIn: () => headIn }
}

/** Loads the article as a page new to its tab (the tab's paid URLs forgotten), until it tells `until`; when it asked for its text, and its first word. */
async function loadArticle(page: Page, origin: string, until: 'first word' | 'unpaid' | '402') {
  await page.goto(`${origin}/`)
  await page.evaluate('sessionStorage.clear()')
  await page.goto('about:blank')
  const told = page.waitForEvent('console', { predicate: (message) => message.text() === `bench: ${until}`, timeout: 60_000 })
  await page.goto(`${origin}/real/article/${slug}`, { waitUntil: 'commit' })
  await told
  return page.evaluate<{ requested: number; word: number | undefined }>(`({ requested: performance.timeOrigin + performance.getEntriesByName('text-requested')[0].startTime, word: window.benchFirstWord })`)
}

/** The article in Chromium without Drip, `loads` times: from the browser having the 402's head to the page showing it, ms. */
async function the402WithoutDrip(origin: string): Promise<number[]> {
  const plain = await launchPlainChromium()
  try {
    const page = await plain.context.newPage()
    await page.addInitScript(pageNotes)
    const site402 = await watch402(plain.context, page)
    const times: number[] = []
    for (let load = 0; load < loads; load++) {
      await loadArticle(page, origin, 'unpaid')
      times.push((await page.evaluate<number>('window.benchUnpaid')) - site402.headIn())
      await page.goto('about:blank')
    }
    return times
  } finally {
    await plain.close()
  }
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
    await article.addInitScript(pageNotes)
    const site402 = await watch402(drip.context, article)
    const newPhotoSteps: Steps = new Map()
    const newArticleSteps: Steps = new Map()
    const firstWords: number[] = []
    /** Closes the demo's channel from the popup (cooperatively, refunded), so the next payment opens a new one. */
    const closeTheSitesChannel = async () => {
      await popupPage.bringToFront()
      await popupPage.goto(`chrome-extension://${drip.extensionId}/popup.html`)
      await popup.waitForScreen('wallet')
      await popup.closeChannel(origin)
      await popupPage.goto('about:blank')
    }
    for (let run = 0; run < runs; run++) {
      await closeTheSitesChannel()
      await gallery.bringToFront()
      await worker.evaluate(marksOf)
      const photo = await markedPhoto(gallery, worker)
      addSteps(newPhotoSteps, photo.marks, photo.start, photo.end)

      await closeTheSitesChannel()
      await article.bringToFront()
      await worker.evaluate(marksOf)
      const { requested, word } = await loadArticle(article, origin, 'first word')
      await new Promise((resolve) => setTimeout(resolve, 50))
      const marks: Mark[] = [...(await article.evaluate<Mark[]>(marksOf)), ...(await worker.evaluate<Mark[]>(marksOf)), ['page: first word shown', word!]]
      marks.push(["browser: the 402's head in", site402.headIn()])
      addSteps(newArticleSteps, marks, ["page: the article's request", requested], word!)
      firstWords.push(word! - requested)
      await article.goto('about:blank')
    }
    results.newChannelPhoto = print('A paid photo on a new channel, step by step (ms)', newPhotoSteps, runs)
    console.log(`\nAn article's first word on a new channel, from the page's request: median ${median(firstWords).toFixed(1)} ms (${firstWords.map((ms) => ms.toFixed(1)).join(', ')})`)
    results.newChannelArticle = { firstWords, steps: print("An article's first word on a new channel, step by step (ms)", newArticleSteps, runs) }
    // The same article on an open channel, a page new to the tab each time: the browser has the 402's head, then the page's fetch.
    const withDrip: number[] = []
    for (let load = 0; load < loads; load++) {
      await loadArticle(article, origin, '402')
      withDrip.push((await article.evaluate<number>(`performance.timeOrigin + performance.getEntriesByName("page: the site's 402")[0].startTime`)) - site402.headIn())
      await article.evaluate(marksOf)
      await article.goto('about:blank')
    }
    results.the402WhileLoading = { withDrip }
  } finally {
    await drip.close()
  }
  // One browser at a time: Chromium without Drip once Drip's has closed.
  try {
    const withoutDrip = await the402WithoutDrip(origin)
    const { withDrip } = results.the402WhileLoading as { withDrip: number[] }
    results.the402WhileLoading = { withDrip, withoutDrip }
    const spread = (times: number[]) => `median ${median(times).toFixed(1)} ms (${Math.min(...times).toFixed(1)}–${Math.max(...times).toFixed(1)})`
    console.log(`\nAn article's 402 while the page loads, from the browser having its head to the page's fetch resolving with it (${loads} loads each): without Drip ${spread(withoutDrip)}, with Drip ${spread(withDrip)}`)
  } finally {
    await env.stop()
  }
  mkdirSync(`${repoRoot}bench-results`, { recursive: true })
  writeFileSync(`${repoRoot}bench-results/steps.json`, `${JSON.stringify(results, null, 2)}\n`)
}

await main()
