/**
 * `npm run bench`: paid streams and photos side by side, in one run, on the
 * devnet and the demo site: the unpaid twin (from Node, and rendered in the
 * same Chromium), Drip in Chromium, and mppx's Node session client. Every
 * figure is measured RUNS times (default 3) and printed as the median with
 * the range; bench-results/bench.json keeps every sample.
 *
 * Beside the table: on-chain transactions to read the seeds' 42-word poem
 * and paid photos on the same server (it suggests no deposit, as the
 * seeds' do), a paid photo when Chrome has ended Drip's worker (cold
 * start) against one on a running worker, the worker's and the page's heap
 * while a 10,000-word stream is read, and where the time goes: per paid
 * photo, and per voucher of a paid stream. mppx's photo runs take turns
 * with Drip's (each of Drip's right after one of mppx's), and the photo
 * ratios are the median of each run's. A paid photo and the first word
 * on a new channel are split the same way for mppx's client (its requests
 * timed beneath it in Node) as for Drip (the browser's network timings), so
 * the site's and the chain's parts and each client's own stand side by side.
 * A benchmark, not a test: it measures and asserts nothing.
 *
 *   RUNS=3           samples per figure
 *   LOOKAHEAD=100    units Drip signs ahead (its throughput setting)
 *   PACED_WORDS=500  words read from each paced (50 words/s) stream
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { createParser } from 'eventsource-parser'
import { Mppx, tempo } from 'mppx/client'
import { createClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { CDPSession, Page } from 'playwright-core'
import type { ChromiumDrip } from '../tests/support/browser/chromium'
import { launchFundedDrip } from '../tests/support/browser/fundedDrip'
import { attachToWorker } from '../tests/support/browser/workerCdp'
import { repoRoot } from '../tests/support/browser/paths'
import { waitUntil } from '../tests/support/pages/driver'
import { GalleryPage } from '../tests/support/pages/gallery'
import type { PopupPage } from '../tests/support/pages/popup'
import { StreamPage } from '../tests/support/pages/stream'
import { startDevnetAndDemo } from '../tests/support/demoSite'
import { handlingMs, watchPaidRequests } from '../tests/support/siteTimings'
import { type NodeFetch, recordingFetch, toHead } from '../tests/support/nodeFetchTimings'
import type { TestDevnet } from '../tests/support/devnet'
import { poemWords, startPaidSite } from '../tests/support/paidSite'
import { pathUsdAddress } from '../devnet/index'
import { toDollars } from '../lib/shared/amounts'
import { defaultSignAhead } from '../lib/streams/lookahead'

const runs = Number(process.env.RUNS ?? 3)
/** How much Drip signs streams ahead, in dollars: unset, the shipped default (`Lookahead.defaultSignAhead`). */
const signAhead = process.env.SIGN_AHEAD ?? toDollars(defaultSignAhead)
const signAheadLabel = process.env.SIGN_AHEAD === undefined ? `shipped defaults, $${signAhead} ahead` : `$${signAhead} ahead`
const pacedWords = Number(process.env.PACED_WORDS ?? 500)
const pacedWps = 50
const photos = 50
/** Photos on the seeds' server, which suggests no deposit (the demo's suggests one). */
const seedPhotos = 'photos/s, seed route (suggests no deposit)'
const slug = 'metered-reading'
const longRead = 'the-long-read'
/** Word counts at which the long read's heaps are taken. */
const heapMarks = [1_000, 5_000, 10_000]

const demoPhotoPath = '/api/sessions/photo'

/** The demo site's own time for each paid photo (it runs in this process), whoever paid it. */
const sitePhotos = watchPaidRequests(demoPhotoPath)

/** Runs `photosRun` and records the median of the site's own handling of the paid photos it made (ms). */
async function withSiteHandling<T>(client: string, photosRun: () => Promise<T>): Promise<T> {
  const from = sitePhotos.length
  const result = await photosRun()
  record(client, "the site's own handling of a paid photo, ms", median(handlingMs(sitePhotos.slice(from))))
  return result
}

/** Samples by client, then by figure. */
const samples: Record<string, Record<string, number[]>> = {}
function record(client: string, figure: string, value: number) {
  ;((samples[client] ??= {})[figure] ??= []).push(value)
}

type Timeline = { times: number[] }

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
function median(values: number[]): number {
  if (!values.length) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Words per second over the words that arrived, from the first word to the last. */
function rate({ times }: Timeline) {
  return times.length > 1 ? (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000) : 0
}

/** How late each word is against the 50 words/s schedule set by the first word, in ms. */
function lateness({ times }: Timeline) {
  const late = times.map((t, i) => Math.max(0, t - times[0]! - (i * 1000) / pacedWps)).sort((a, b) => a - b)
  const at = (q: number) => late[Math.min(late.length - 1, Math.floor(q * late.length))] ?? 0
  return { p50: at(0.5), p99: at(0.99) }
}

/** Reads an SSE response in Node: each application event's arrival time (the stream's JSON header left out). */
async function readSse(request: () => Promise<Response>, limit = Infinity): Promise<Timeline & { start: number }> {
  const start = performance.now()
  const response = await request()
  const times: number[] = []
  const reader = response.body!.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader()
  let first = true
  const parser = createParser({
    onEvent(event) {
      if ((event.event ?? 'message') !== 'message') return
      if (first) return void (first = false)
      times.push(performance.now())
    },
  })
  while (times.length < limit) {
    const chunk = await reader.read()
    if (chunk.done) break
    parser.feed(chunk.value)
  }
  await reader.cancel().catch(() => undefined)
  return { times: times.slice(0, limit), start }
}

/** The same, through mppx's session client (one voucher per word as it asks). */
async function readMppx(request: () => Promise<AsyncIterable<unknown>>, limit = Infinity): Promise<Timeline & { start: number }> {
  const start = performance.now()
  const times: number[] = []
  let header = true
  for await (const _ of await request()) {
    if (header) {
      header = false
      continue
    }
    times.push(performance.now())
    if (times.length >= limit) break
  }
  return { times, start }
}

function recordStream(client: string, kind: 'unpaced' | 'paced', timeline: Timeline & { start: number }, firstWordFigure: string) {
  if (kind === 'unpaced') record(client, 'words/s unpaced', rate(timeline))
  else {
    record(client, `words/s paced ${pacedWps}`, rate(timeline))
    record(client, 'lateness p50 ms', lateness(timeline).p50)
    record(client, 'lateness p99 ms', lateness(timeline).p99)
  }
  record(client, firstWordFigure, timeline.times[0]! - timeline.start)
}

type BenchEnv = Awaited<ReturnType<typeof startDevnetAndDemo>>
type SeedSite = Awaited<ReturnType<typeof startPaidSite>>

/** mppx's own session manager for one devnet account: a new manager opens a new channel. `fetch` makes its requests, the chain's too. */
function mppxManager(env: BenchEnv, index: number, fetch: typeof globalThis.fetch = globalThis.fetch) {
  const rpc = createClient({ chain: env.devnet.viemChain, transport: http(env.devnet.url, { fetchFn: fetch }) })
  return tempo.session.manager({ account: privateKeyToAccount(env.devnet.accounts[index]!.privateKey), maxDeposit: '10', client: rpc, fetch })
}

async function main() {
  const env = await startDevnetAndDemo()
  const notes: string[] = []
  let seed: SeedSite | undefined
  try {
    await measureUnpaidAndMppxStreams(env)
    // The seeds' server: no suggested deposit
    seed = await startPaidSite({ devnet: env.devnet, recipient: privateKeyToAccount(env.devnet.accounts[1]!.privateKey), currency: pathUsdAddress })
    await measureMppxSeedPoem(env, seed, notes)
    // mppx's photo runs take turns with Drip's (`measureDrip`).
    const mppx = {
      demo: await mppxPhotos(env, { url: `${env.demo.origin}${demoPhotoPath}`, payerIndex: 4, figure: 'photos/s', split: true }),
      seed: await mppxPhotos(env, { url: `${seed.origin}/photo`, payerIndex: 6, figure: seedPhotos }),
    }
    await measureDrip(env, seed, mppx, notes)
  } finally {
    await seed?.close()
    await env.stop()
  }
  print(notes)
}

/** The unpaid routes from Node, then mppx's Node client: its first stream opens a channel, its second runs on it. */
async function measureUnpaidAndMppxStreams(env: BenchEnv) {
  const origin = env.demo.origin
  for (let run = 0; run < runs; run++) {
    recordStream('unpaid', 'unpaced', await readSse(() => fetch(`${origin}/api/free/article/${slug}`)), 'first word ms, new channel')
    const unpaidPaced = await readSse(() => fetch(`${origin}/api/free/article/${slug}/wps/${pacedWps}`), pacedWords)
    recordStream('unpaid', 'paced', unpaidPaced, 'first word ms, open channel')
    const unpaidPhotos = performance.now()
    for (let i = 0; i < photos; i++) await (await fetch(`${origin}/api/free/photo`)).json()
    record('unpaid', 'photos/s', photos / ((performance.now() - unpaidPhotos) / 1000))
    // Timed as Drip's first word on a new channel is split: the site's 402, the chain's fill, the paid request, the rest.
    const streamPath = `/api/sessions/article/${slug}`
    const recording = recordingFetch()
    const session = mppxManager(env, 3, recording.fetch)
    const opened = await readMppx(() => session.sse(`${origin}${streamPath}`))
    recordStream('mppx client', 'unpaced', opened, 'first word ms, new channel')
    recordMppxNewChannel(opened, recording.fetches, streamPath)
    recordStream('mppx client', 'paced', await readMppx(() => session.sse(`${origin}/api/sessions/article/${slug}/wps/${pacedWps}`), pacedWords), 'first word ms, open channel')
  }
}

/** mppx's client paying photos, one channel a route, opened before the runs: `run` pays `photos` more. */
type MppxPhotos = { run: () => Promise<void> }

/**
 * mppx's client (`Mppx.create`'s own fetch, no polyfill) paying `url`'s
 * photos: one photo opens the channel here; each `run` pays `photos` more
 * and records photos/s and the on-chain transactions of the run (a route
 * that suggests no deposit makes mppx top up as it goes). The runs take
 * turns with Drip's, so both see the machine as it is at that moment. With
 * `split`, where a photo's time goes too, from its requests (`recordingFetch`).
 */
async function mppxPhotos(env: BenchEnv, { url, payerIndex, figure, split = false }: { url: string; payerIndex: number; figure: string; split?: boolean }): Promise<MppxPhotos> {
  const recording = recordingFetch()
  const rpc = createClient({ chain: env.devnet.viemChain, transport: http(env.devnet.url) })
  const payer = privateKeyToAccount(env.devnet.accounts[payerIndex]!.privateKey)
  const mppx = Mppx.create({ methods: [tempo({ account: payer, maxDeposit: '10', getClient: () => rpc })], polyfill: false, fetch: recording.fetch })
  await (await mppx.fetch(url)).json() // opens the channel
  const opening = recording.fetches.length
  const photoRun = async () => {
    const start = performance.now()
    for (let i = 0; i < photos; i++) {
      const response = await mppx.fetch(url)
      if (!response.ok) throw new Error(`mppx's client did not pay a photo: HTTP ${response.status}`)
      await response.json()
    }
    const ms = performance.now() - start
    record('mppx client', figure, photos / (ms / 1000))
    return ms / photos
  }
  return {
    async run() {
      const before = BigInt(env.devnet.chain.latest.number)
      const photoMs = await (split ? withSiteHandling('mppx client', photoRun) : photoRun())
      record('mppx client', `${figure}: on-chain tx per ${photos} photos`, transactionsToRead(env.devnet, payer.address, before))
      if (!split) return
      // Its photos' requests after the opening one: each asks the site, gets its 402, and asks again paid.
      const photoRequests = recording.fetches.splice(opening).filter((request) => request.url.href === url)
      const parts = {
        whole: photoMs,
        site402: median(photoRequests.filter((request) => request.status === 402).map(toHead)),
        sitePaid: median(photoRequests.filter((request) => request.status === 200).map(toHead)),
      }
      const name = 'paid photo on an open channel, where the time goes (mppx client, ms)'
      record(name, 'a photo, whole (the mean of its run)', parts.whole)
      record(name, "its request, to the site's 402", parts.site402)
      record(name, "its paid request, to the site's answer (the site checks the credential)", parts.sitePaid)
      record(name, "the rest: mppx's own (read the 402, sign the voucher, its fetch)", parts.whole - parts.site402 - parts.sitePaid)
    },
  }
}

/**
 * Where mppx's first word on a new channel goes, split as Drip's is (`newChannelBreakdown`): the site's 402, the
 * chain's fill of the open, the paid request (the site puts the open on chain and waits for it), and the rest, mppx's
 * own (signing the open and the voucher, its client) with any other chain call it made.
 */
function recordMppxNewChannel(timeline: Timeline & { start: number }, fetches: NodeFetch[], streamPath: string) {
  const firstWord = timeline.times[0]!
  const before = fetches.filter((request) => request.start < firstWord)
  const stream = before.filter((request) => request.url.pathname === streamPath)
  const site402 = stream.find((request) => request.status === 402)
  const paid = stream.find((request) => request.status === 200)
  const fill = sum(before.filter((request) => request.rpc.includes('eth_fillTransaction')).map(toHead))
  const parts = { total: firstWord - timeline.start, site402: site402 ? toHead(site402) : Number.NaN, fill, sitePaid: paid ? toHead(paid) : Number.NaN }
  const name = 'first word on a new channel, where the time goes (mppx client, ms)'
  record(name, 'from its request, whole', parts.total)
  record(name, "its request, to the site's 402", parts.site402)
  record(name, "the chain fills the open's transaction (its eth_fillTransaction)", parts.fill)
  record(name, "its paid request, to the site's answer (the site puts the open on chain and waits for it)", parts.sitePaid)
  record(name, "the rest: mppx's own (sign the open and the voucher), and its other chain calls", parts.total - parts.site402 - parts.fill - parts.sitePaid)
  const others = before.filter((request) => request.rpc.length && !request.rpc.includes('eth_fillTransaction'))
  record(name, 'of the rest: its other chain calls before the first word (count)', others.length)
  record(name, 'of the rest: its other chain calls before the first word (ms, summed)', sum(others.map(toHead)))
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)

/** The seed poem read by mppx's client: how many transactions it puts on chain. */
async function measureMppxSeedPoem(env: BenchEnv, seed: SeedSite, notes: string[]) {
  const seedStart = BigInt(env.devnet.chain.latest.number)
  let seedWords = 0
  for await (const _ of await mppxManager(env, 5).sse(`${seed.origin}/poem`)) seedWords++
  record('mppx client', 'seed poem: on-chain tx to read', transactionsToRead(env.devnet, privateKeyToAccount(env.devnet.accounts[5]!.privateKey).address, seedStart))
  if (seedWords !== poemWords.length + 1) notes.push(`mppx read ${seedWords - 1} of the seed poem's ${poemWords.length} words`)
}

const dripName = `Drip (Chromium, ${signAheadLabel})`
const twinName = 'unpaid twin, rendered (Chromium page)'

/** Drip in Chromium: the demo approved once, then every figure per run, memory over a long read, and the seed poem. */
async function measureDrip(env: BenchEnv, seed: SeedSite, mppx: { demo: MppxPhotos; seed: MppxPhotos }, notes: string[]) {
  const origin = env.demo.origin
  const { drip, popupPage, popup } = await launchFundedDrip(env.devnet.url)
  try {
    if (process.env.SIGN_AHEAD !== undefined) await popup.setSignAhead(signAhead)
    const page = await drip.context.newPage()
    // Every page times its own words (performance.now from its navigation), read once it is done: a stream can
    // be over before Node could attach, and a call to Node per word would time the calls, not the words. It tells its
    // first word (or a stream that ended without one) on the console, which `streamInPage` waits for before it
    // evaluates anything in the page (`wordsOrEnd`).
    await page.addInitScript(`window.benchWordTimes = []
      new MutationObserver(() => {
        const declared = document.querySelector('[data-mpp-stream]')
        const element = declared ?? document.getElementById('text')
        const words = Number(element?.getAttribute(declared ? 'data-mpp-words' : 'data-words') ?? 0)
        while (window.benchWordTimes.length < words) window.benchWordTimes.push(performance.now())
        const state = element?.getAttribute(declared ? 'data-mpp-state' : 'data-state')
        const over = state && !['connecting', 'streaming', 'waiting', 'reconnecting'].includes(state)
        if ((words > 0 || over) && !window.benchTold) (window.benchTold = true), console.debug('${wordsOrEnd}')
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-words', 'data-mpp-words', 'data-state', 'data-mpp-state'] })`)
    await page.goto(`${origin}/poem`)
    await new StreamPage(page).waitForState(['pending'])
    await popup.approve(origin, '100')
    await new StreamPage(page).waitForState(['complete'])
    // Photos are another unit of the same site: the one approval covers them, no second question.
    const gallery = await drip.context.newPage()
    await gallery.goto(`${origin}/gallery`)
    /** Closes the demo's channel from the popup (cooperatively, refunded), so the next payment opens a new one. */
    const closeTheSitesChannel = async () => {
      await popupPage.goto(`chrome-extension://${drip.extensionId}/popup.html`)
      await popup.waitForScreen('wallet')
      await popup.closeChannel(origin)
    }
    for (let run = 0; run < runs; run++) await measureDripRun({ drip, origin, popupPage, page, gallery, closeTheSitesChannel, mppxPhotos: mppx.demo })
    await measureDripMemory(drip, page, origin)
    await measureDripSeedPoem({ env, drip, popupPage, popup, seed, notes })
    await measureDripSeedPhotos({ env, drip, popup, seed, mppxPhotos: mppx.seed })
  } finally {
    await drip.close()
  }
}

type DripRun = { drip: ChromiumDrip; origin: string; popupPage: Page; page: Page; gallery: Page; closeTheSitesChannel: () => Promise<void>; mppxPhotos: MppxPhotos }

/** One run: streams on a new and an open channel, the page's own fetch beside its unpaid twin, photos warm and cold, and where the time goes. */
async function measureDripRun({ drip, origin, popupPage, page, gallery, closeTheSitesChannel, mppxPhotos }: DripRun) {
  // Each run's first stream opens a new channel: the one before is closed (cooperatively, refunded).
  await popupPage.bringToFront()
  await closeTheSitesChannel()
  await page.bringToFront()
  // Drip's declared streams: first words from the page's navigation start, page load included.
  recordStream(dripName, 'unpaced', await streamInPage(page, `${origin}/article/${slug}`), 'first word ms, new channel')
  recordStream(dripName, 'paced', await streamInPage(page, `${origin}/article/${slug}?wps=${pacedWps}`, pacedWords), 'first word ms, open channel')
  // First words here are timed from the page's navigation start, page load included, for the twin and Drip alike.
  const twin = await streamInPage(page, `${origin}/real/free-article/${slug}`)
  record(twinName, "words/s, the page's own fetch", rate(twin))
  record(twinName, "first word ms from navigation, the page's own fetch", twin.times[0]!)
  record(twinName, "first word ms from the page's request, open channel", twin.times[0]! - twin.requestStart)
  // A page new to the tab (an article the reader opens), then the same page again (a reload, back), which hands the URL
  // its tab had paid straight to Drip (`lib/page/paidUrls.ts`).
  await forgetWhatTheTabPaid(page, origin)
  const paidFetch = await streamInPage(page, `${origin}/real/article/${slug}`)
  record(dripName, "words/s, the page's own fetch", rate(paidFetch))
  record(dripName, "first word ms from navigation, the page's own fetch", paidFetch.times[0]!)
  // Timed as mppx's client is: from the request, its 402 included.
  record(dripName, "first word ms from the page's request, open channel", paidFetch.times[0]! - paidFetch.requestStart)
  const reloaded = await streamInPage(page, `${origin}/real/article/${slug}`)
  record(dripName, "first word ms from the page's request, open channel, the page again", reloaded.times[0]! - reloaded.requestStart)
  await gallery.bringToFront()
  // mppx's photos, then Drip's, at the same moment of the run.
  await mppxPhotos.run()
  recordAgainstMppx('photos/s', await withSiteHandling(dripName, () => photoRate(gallery)))
  record(dripName, 'photo ms, running worker', await photoMs(gallery))
  recordBreakdown('paid photo on an open channel, where the time goes (Drip, ms)', await photoBreakdown(drip, gallery))
  // Cold: the popup, which polls the worker, is gone while Chrome ends the worker.
  await popupPage.goto('about:blank')
  await drip.stopServiceWorker(popupPage)
  record(dripName, 'photo ms, worker cold start', await photoMs(gallery))
  // The same parts for a photo that opens a channel (the site broadcasts the open and waits for it on chain).
  await closeTheSitesChannel()
  await gallery.bringToFront()
  recordBreakdown('paid photo on a new channel, where the time goes (Drip, ms)', await photoBreakdown(drip, gallery, 1))
  // The page's own fetch on a new channel, timed from its request as mppx's client is: its 402, the open, the first word.
  await closeTheSitesChannel()
  await page.bringToFront()
  // A page new to the tab, as mppx's client is new to the site: its 402 comes first.
  await forgetWhatTheTabPaid(page, origin)
  const newChannelFetch = await newChannelBreakdown(drip, page, `${origin}/real/article/${slug}`)
  record(dripName, "first word ms from the page's request, new channel", newChannelFetch.total)
  recordNewChannel(newChannelFetch)
  // A declared stream's vouchers, on a new channel (as the unpaced figure above) and then on the open one.
  await closeTheSitesChannel()
  await page.bringToFront()
  recordVouchers('paid stream on a new channel, per voucher (Drip, declared, unpaced)', await streamVoucherBreakdown(drip, page, `${origin}/article/${slug}`))
  recordVouchers('paid stream on an open channel, per voucher (Drip, declared, unpaced)', await streamVoucherBreakdown(drip, page, `${origin}/article/${slug}`))
}

/** The worker's and the page's heap over a 10,000-word stream, after a garbage collection. */
async function measureDripMemory(drip: ChromiumDrip, page: Page, origin: string) {
  await page.bringToFront()
  for (const { words, worker, page: pageHeap } of await heapsOverLongRead(drip, page, `${origin}/article/${longRead}`)) {
    record('memory (Drip, MB after GC)', `worker at ${words} words`, worker / 1e6)
    record('memory (Drip, MB after GC)', `page at ${words} words`, pageHeap / 1e6)
  }
}

/** The seeds' poem, approved as the popup pre-fills it (one deposit step): how many transactions reading it takes. */
async function measureDripSeedPoem({ env, drip, popupPage, popup, seed, notes }: { env: BenchEnv; drip: ChromiumDrip; popupPage: Page; popup: PopupPage; seed: SeedSite; notes: string[] }) {
  const before = BigInt(env.devnet.chain.latest.number)
  const seedPage = await drip.context.newPage()
  await seedPage.goto(`${seed.origin}/poem`)
  await new StreamPage(seedPage).waitForState(['pending'])
  await popupPage.bringToFront()
  await popupPage.goto(`chrome-extension://${drip.extensionId}/popup.html`)
  const prefilled = await popup.approve(seed.origin, 'as pre-filled')
  const read = await new StreamPage(seedPage).waitForState(['complete'])
  record(dripName, 'seed poem: on-chain tx to read', transactionsToRead(env.devnet, await popup.address(), before))
  notes.push(`Drip read ${read.words} of the seed poem's ${poemWords.length} words, approved at the pre-filled $${prefilled}.`)
}

/** Photos on the seeds' server, whose poem the reader approved just before: photos/s and on-chain transactions per run, and where a photo's time goes. */
async function measureDripSeedPhotos({ env, drip, popup, seed, mppxPhotos }: { env: BenchEnv; drip: ChromiumDrip; popup: PopupPage; seed: SeedSite; mppxPhotos: MppxPhotos }) {
  const seedPage = await drip.context.newPage()
  await seedPage.goto(`${seed.origin}/`) // the server's 404 page: a page of the approved origin
  const address = await popup.address()
  await photoMs(seedPage, '/photo') // a photo before the runs, as mppx's opening one
  for (let run = 0; run < runs; run++) {
    await mppxPhotos.run()
    const before = BigInt(env.devnet.chain.latest.number)
    recordAgainstMppx(seedPhotos, await photoRate(seedPage, '/photo'))
    record(dripName, `${seedPhotos}: on-chain tx per ${photos} photos`, transactionsToRead(env.devnet, address, before))
  }
  recordBreakdown('paid photo on an open channel, seed route, where the time goes (Drip, ms)', await photoBreakdown(drip, seedPage, 20, '/photo'))
}

/** Drip's photos/s, and its ratio to mppx's run just before (`MppxPhotos`). */
function recordAgainstMppx(figure: string, perSecond: number) {
  record(dripName, figure, perSecond)
  record(dripName, `${figure} over mppx's, the same run`, perSecond / samples['mppx client']![figure]!.at(-1)!)
}

function recordBreakdown(name: string, parts: Awaited<ReturnType<typeof photoBreakdown>>) {
  record(name, 'the page fetch, whole', parts.total)
  record(name, "the page's request, to the site's 402 (0: a URL the page had paid goes straight to Drip)", parts.site402)
  record(name, "the worker's paid request, to the site's answer (the site checks the credential)", parts.sitePaid)
  record(name, "the rest: Drip's hand-over, authorize, pay (sign, store), hand-back", parts.drip)
}

function recordNewChannel(parts: Awaited<ReturnType<typeof newChannelBreakdown>>) {
  const name = "first word on a new channel, the page's own fetch, where the time goes (Drip, ms)"
  record(name, "from the page's request, whole", parts.total)
  record(name, "the page's request, to the site's 402 (the page is loading from the same site)", parts.site402)
  record(name, "the chain fills the open's transaction (the worker's eth_fillTransaction)", parts.fill)
  record(name, "the worker's paid request, to the site's answer (the site puts the open on chain and waits for it)", parts.sitePaid)
  record(name, "the rest: Drip's hand-over, authorize, sign the open and the voucher, store, the first word handed back", parts.drip)
}

function recordVouchers(name: string, parts: Awaited<ReturnType<typeof streamVoucherBreakdown>>) {
  record(name, 'words/s (with the network watched)', parts.wordsPerSecond)
  record(name, 'vouchers', parts.vouchers)
  record(name, 'words per voucher', parts.wordsPerVoucher)
  record(name, "the site's answer to a voucher POST, ms", parts.siteMs)
  record(name, 'from one answer to the next POST, ms (Drip signs; the site sends the words it was paid for)', parts.betweenMs)
  record(name, 'share of the stream with a voucher at the site, %', parts.atSitePercent)
}

/** Median and range of each figure, the ratios the goals are stated in, and bench-results/bench.json. */
function print(notes: string[]) {
  const shown = (value: number) => (value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US'))
  const cell = (values: number[]) =>
    values.length === 1 ? shown(values[0]!) : `${shown(median(values))} (${shown(Math.min(...values))}–${shown(Math.max(...values))})`
  const table = (clients: string[]) =>
    console.table(Object.fromEntries(clients.map((client) => [client, Object.fromEntries(Object.entries(samples[client]!).map(([figure, values]) => [figure, cell(values)]))])))
  console.log(`${runs} runs per figure: median (min–max). Signing ahead: ${signAheadLabel}, ${pacedWords} paced words, ${photos} photos per run.`)
  const apart = (client: string) => client.startsWith('memory') || client.startsWith('paid photo') || client.startsWith('paid stream') || client.startsWith('first word on a new channel')
  table(Object.keys(samples).filter((client) => !apart(client)))
  for (const client of Object.keys(samples).filter(apart)) table([client])
  const m = (client: string, figure: string) => median(samples[client]?.[figure] ?? [Number.NaN])
  const dripName = Object.keys(samples).find((name) => name.startsWith('Drip'))!
  const twinName = 'unpaid twin, rendered (Chromium page)'
  const ratio = (a: number, b: number) => `${(a / b).toPrecision(3)}×`
  const [dripPhoto, mppxPhoto] = ['paid photo on an open channel, where the time goes (Drip, ms)', 'paid photo on an open channel, where the time goes (mppx client, ms)']
  const dripNewChannel = (part: string) => m("first word on a new channel, the page's own fetch, where the time goes (Drip, ms)", part)
  const mppxNewChannel = (part: string) => m('first word on a new channel, where the time goes (mppx client, ms)', part)
  const ratios = {
    'Drip words/s (declared stream) vs mppx client (goal ≥ 25×)': ratio(m(dripName, 'words/s unpaced'), m('mppx client', 'words/s unpaced')),
    "Drip words/s (the page's own fetch) vs mppx client": ratio(m(dripName, "words/s, the page's own fetch"), m('mppx client', 'words/s unpaced')),
    "Drip, the page's own fetch, vs its unpaid twin rendered in the same Chromium (goal ≥ 0.5×)": ratio(
      m(dripName, "words/s, the page's own fetch"),
      m('unpaid twin, rendered (Chromium page)', "words/s, the page's own fetch"),
    ),
    'Drip first word on an open channel minus unpaid, ms (goal ≤ 30; both timed in the same Chromium, from navigation)': (
      m(dripName, "first word ms from navigation, the page's own fetch") - m(twinName, "first word ms from navigation, the page's own fetch")
    ).toFixed(0),
    'Drip first word on an open channel (declared stream) minus the unpaid twin page, ms': (
      m(dripName, 'first word ms, open channel') - m(twinName, "first word ms from navigation, the page's own fetch")
    ).toFixed(0),
    'Drip first word on a new channel minus mppx, ms (goal ≤ 0)': (m(dripName, 'first word ms, new channel') - m('mppx client', 'first word ms, new channel')).toFixed(0),
    "Drip first word on a new channel minus mppx, both from their request (the page's own fetch), ms": (
      m(dripName, "first word ms from the page's request, new channel") - m('mppx client', 'first word ms, new channel')
    ).toFixed(0),
    // mppx's open-channel stream is the paced one (the site paces its first word): the unpaid twin is the like-for-like figure.
    "Drip first word on an open channel minus the unpaid twin, both from the page's request, ms": (
      m(dripName, "first word ms from the page's request, open channel") - m(twinName, "first word ms from the page's request, open channel")
    ).toFixed(0),
    "Drip first word on an open channel, the same page again (no 402), minus the unpaid twin, both from the page's request, ms": (
      m(dripName, "first word ms from the page's request, open channel, the page again") - m(twinName, "first word ms from the page's request, open channel")
    ).toFixed(0),
    'Drip photos/s vs mppx client, run by run (goal ≥ 1× on this route, which suggests a deposit)': `${m(dripName, "photos/s over mppx's, the same run").toPrecision(3)}×`,
    // The bound: the worker's paid request alone (the site checking the voucher, through Chrome's network stack), as if
    // Drip's own share of each photo were nothing.
    "Drip's bound, photos/s if its own share were 0 (the worker's paid request alone) vs mppx client": ratio(
      1000 / m('paid photo on an open channel, where the time goes (Drip, ms)', "the worker's paid request, to the site's answer (the site checks the credential)"),
      m('mppx client', 'photos/s'),
    ),
    'Drip photos/s vs mppx client, seed route, run by run (goal ≥ 3×; mppx tops up its channel for each photo there)': `${m(dripName, `${seedPhotos} over mppx's, the same run`).toPrecision(3)}×`,
    "Drip's bound on the seed route, photos/s if its own share were 0 vs mppx client": ratio(
      1000 / m('paid photo on an open channel, seed route, where the time goes (Drip, ms)', "the worker's paid request, to the site's answer (the site checks the credential)"),
      m('mppx client', seedPhotos),
    ),
    'Drip photo on a cold worker minus a running one, ms': (m(dripName, 'photo ms, worker cold start') - m(dripName, 'photo ms, running worker')).toFixed(0),
    // Like for like: the same parts of the same photo and of the same first word, for Drip and for mppx's client.
    "A paid photo, the site's part: through Drip's worker (Chromium) minus through mppx's client (Node), ms": (
      m(dripPhoto, "the worker's paid request, to the site's answer (the site checks the credential)") -
      m(mppxPhoto, "its paid request, to the site's answer (the site checks the credential)")
    ).toFixed(1),
    "A paid photo, the client's own part: Drip's share minus mppx's (mppx also asks the site first, Drip does not), ms": (
      m(dripPhoto, "the rest: Drip's hand-over, authorize, pay (sign, store), hand-back") - m(mppxPhoto, "the rest: mppx's own (read the 402, sign the voucher, its fetch)")
    ).toFixed(1),
    "First word on a new channel, the site's and the chain's parts (402, fill, paid request): Drip's minus mppx's, ms": (
      dripNewChannel("the page's request, to the site's 402 (the page is loading from the same site)") +
      dripNewChannel("the chain fills the open's transaction (the worker's eth_fillTransaction)") +
      dripNewChannel("the worker's paid request, to the site's answer (the site puts the open on chain and waits for it)") -
      mppxNewChannel("its request, to the site's 402") -
      mppxNewChannel("the chain fills the open's transaction (its eth_fillTransaction)") -
      mppxNewChannel("its paid request, to the site's answer (the site puts the open on chain and waits for it)")
    ).toFixed(0),
    "First word on a new channel, the client's own part: Drip's rest minus mppx's, ms": (
      dripNewChannel("the rest: Drip's hand-over, authorize, sign the open and the voucher, store, the first word handed back") -
      mppxNewChannel("the rest: mppx's own (sign the open and the voucher), and its other chain calls")
    ).toFixed(0),
  }
  console.table(ratios)
  for (const note of notes) console.log(note)
  mkdirSync(`${repoRoot}bench-results`, { recursive: true })
  writeFileSync(`${repoRoot}bench-results/bench.json`, JSON.stringify({ at: new Date().toISOString(), runs, signAhead, pacedWords, photos, samples, ratios, notes }, null, 2))
  console.log('Written to bench-results/bench.json')
}

/** The tab forgets the URLs its pages of `origin` had paid (Drip keeps them in the page's `sessionStorage`): the site's next page is new to the tab. */
async function forgetWhatTheTabPaid(page: Page, origin: string) {
  await page.goto(`${origin}/`)
  await page.evaluate('sessionStorage.clear()')
}

/**
 * What a bench page tells on its console at its first word, or when its stream ended without one. Until then Node
 * evaluates nothing in the page: Playwright's first evaluate in a page runs its own script there (330 KB, 9–14 ms of
 * the page's main thread in a trace), which landed in the middle of the load being timed and held the page's 402
 * back (`npm run bench:steps`: the article's 402, head to the page's fetch, 12.6 ms with Drip and 4.5 without while
 * Node polled; 5.9 and 5.5 once it waited for the console).
 */
const wordsOrEnd = 'bench: first word or the end'

/** Opens `url` in `page` and returns its words' times (the page's clock, from navigation start) once it is done or has `limit` words. */
async function streamInPage(page: Page, url: string, limit = Infinity): Promise<Timeline & { start: number; requestStart: number }> {
  await page.goto('about:blank')
  const told = page.waitForEvent('console', { predicate: (message) => message.text() === wordsOrEnd, timeout: 300_000 })
  await page.goto(url, { waitUntil: 'commit' })
  await told
  const state = `(document.querySelector('[data-mpp-stream]')?.getAttribute('data-mpp-state') ?? document.getElementById('text')?.dataset.state ?? 'connecting')`
  const progress = () => page.evaluate(`({ state: ${state}, words: (window.benchWordTimes ?? []).length })`) as Promise<{ state: string; words: number }>
  await waitUntil(() => progress().catch(() => ({ state: 'connecting', words: 0 })), (p) => p.words >= limit || !['connecting', 'streaming', 'waiting', 'reconnecting'].includes(p.state), {
    what: `${url} to finish`,
    timeoutMs: 300_000,
  })
  const times = ((await page.evaluate('window.benchWordTimes')) as number[]).slice(0, limit)
  if (!times.length) throw new Error(`No words recorded for ${url}: ${JSON.stringify(await progress())}`)
  // When the page's own request for the stream began (the page marks it: a URL its tab had paid goes straight to Drip,
  // with no request of the page's in its resource timings); absent for a declared stream, which Drip's worker fetches.
  const requestStart = await page.evaluate<number | null>(`performance.getEntriesByName('text-requested')[0]?.startTime ?? null`)
  await page.goto('about:blank')
  return { times, start: 0, requestStart: requestStart ?? Number.NaN }
}

/** Paid photos per second from the page's own fetch of `path` (the demo's photo API unless given), on an open channel. */
async function photoRate(page: Page, path = demoPhotoPath): Promise<number> {
  return (await page.evaluate(`(async () => {
    const start = performance.now()
    for (let i = 0; i < ${photos}; i++) {
      const response = await fetch(${JSON.stringify(path)})
      if (!response.ok) throw new Error('A photo was not paid: HTTP ' + response.status)
      await response.json()
    }
    return ${photos} / ((performance.now() - start) / 1000)
  })()`)) as number
}

/** One paid photo from the page's own fetch of `path` (the demo's photo API unless given), in ms. */
const photoMs = (page: Page, path = demoPhotoPath) => new GalleryPage(page).paidPhotoMs(path)

/** Reads the long read in `page`, taking the heaps (after a GC) of the page and of Drip's worker at each mark. */
async function heapsOverLongRead(drip: ChromiumDrip, page: Page, url: string) {
  const pageCdp = await drip.context.newCDPSession(page)
  const heaps: { words: number; worker: number; page: number }[] = []
  await page.goto('about:blank')
  await page.goto(url, { waitUntil: 'commit' })
  const words = () => page.evaluate(`(window.benchWordTimes ?? []).length`).catch(() => 0) as Promise<number>
  for (const mark of heapMarks) {
    await waitUntil(words, (n) => n >= mark, { what: `${mark} words of the long read`, timeoutMs: 600_000 })
    await pageCdp.send('HeapProfiler.collectGarbage')
    const pageHeap = (await pageCdp.send('Runtime.getHeapUsage')).usedSize
    heaps.push({ words: mark, worker: await workerHeap(drip, pageCdp), page: pageHeap })
  }
  await page.goto('about:blank')
  await pageCdp.detach()
  return heaps
}


/** Drip's service worker's used JS heap after a GC. */
async function workerHeap(drip: ChromiumDrip, cdp: CDPSession): Promise<number> {
  const worker = await attachToWorker(drip, cdp)
  await worker.call('HeapProfiler.collectGarbage')
  const { usedSize } = (await worker.call('Runtime.getHeapUsage')) as { usedSize: number }
  await worker.detach()
  return usedSize
}

/**
 * Where a paid photo's time goes, from the browser's own network timings
 * (nothing in Drip is instrumented): the page's request that the site
 * answers 402, the worker's paid request (the site verifying the voucher
 * included), and the rest, which is Drip's (hand-over to the background,
 * authorize, pay, the answer handed back). Medians over `count` photos.
 */
async function photoBreakdown(drip: ChromiumDrip, gallery: Page, count = 20, path = demoPhotoPath) {
  const pageCdp = await drip.context.newCDPSession(gallery)
  const worker = await attachToWorker(drip, pageCdp)
  const headersIn = () => {
    const sent = new Map<string, number>()
    const spans: number[] = []
    return {
      spans,
      sent: (params: Record<string, unknown>) => {
        const request = params.request as { url: string }
        if (new URL(request.url).pathname === path) sent.set(params.requestId as string, params.timestamp as number)
      },
      received: (params: Record<string, unknown>) => {
        const at = sent.get(params.requestId as string)
        if (at !== undefined) spans.push(((params.timestamp as number) - at) * 1000)
      },
    }
  }
  const page402 = headersIn()
  const paid = headersIn()
  pageCdp.on('Network.requestWillBeSent', page402.sent)
  pageCdp.on('Network.responseReceived', page402.received)
  worker.on('Network.requestWillBeSent', paid.sent)
  worker.on('Network.responseReceived', paid.received)
  await pageCdp.send('Network.enable')
  await worker.call('Network.enable')
  const totals: number[] = []
  for (let i = 0; i < count; i++) totals.push(await photoMs(gallery, path))
  await worker.call('Network.disable')
  await worker.detach()
  await pageCdp.detach()
  // A URL the page had paid goes straight to Drip (`page/paidUrls.ts`): then the page asks the site nothing itself.
  const [total, site402, sitePaid] = [median(totals), page402.spans.length ? median(page402.spans) : 0, median(paid.spans)]
  return { total, site402, sitePaid, drip: total - site402 - sitePaid }
}

/**
 * Where the first word of the page's own fetch goes on a new channel, from
 * the browser's network timings of the page and the worker (nothing in
 * Drip is instrumented): the site's 402 to the page, the chain filling the
 * open's transaction, the worker's paid request (the site broadcasts the
 * open and waits for it on chain), and the rest, Drip's.
 */
async function newChannelBreakdown(drip: ChromiumDrip, page: Page, url: string) {
  const pageCdp = await drip.context.newCDPSession(page)
  const worker = await attachToWorker(drip, pageCdp)
  const spans = (session: { on(method: string, listener: (params: Record<string, unknown>) => void): unknown }, wanted: (request: { url: string; method: string; postData?: string }) => boolean) => {
    const sent = new Map<string, number>()
    const found: number[] = []
    session.on('Network.requestWillBeSent', (params) => {
      if (wanted(params.request as { url: string; method: string })) sent.set(params.requestId as string, params.timestamp as number)
    })
    session.on('Network.responseReceived', (params) => {
      const at = sent.get(params.requestId as string)
      if (at !== undefined) found.push(((params.timestamp as number) - at) * 1000)
    })
    return found
  }
  const streamPath = `/api/sessions${new URL(url).pathname.replace('/real', '')}`
  const page402 = spans(pageCdp, (request) => new URL(request.url).pathname === streamPath)
  const fills = spans(worker, (request) => request.method === 'POST' && (request.postData ?? '').includes('eth_fillTransaction'))
  const paid = spans(worker, (request) => request.method === 'GET' && new URL(request.url).pathname === streamPath)
  await pageCdp.send('Network.enable')
  await worker.call('Network.enable')
  const timeline = await streamInPage(page, url)
  await worker.call('Network.disable')
  await worker.detach()
  await pageCdp.detach()
  const total = timeline.times[0]! - timeline.requestStart
  const [site402, fill, sitePaid] = [page402[0] ?? Number.NaN, fills.reduce((sum, ms) => sum + ms, 0), paid[0] ?? Number.NaN]
  return { total, site402, fill, sitePaid, drip: total - site402 - fill - sitePaid }
}

/**
 * Where a declared stream's time goes, per voucher, from the worker's own
 * network timings (nothing in Drip is instrumented): how many vouchers it
 * took, how long the site took to answer each POST (it checks the voucher),
 * the time from one answer to the next POST (Drip's part, and the words
 * the site sends meanwhile), and the share of the stream during which a
 * voucher was at the site.
 */
async function streamVoucherBreakdown(drip: ChromiumDrip, page: Page, url: string) {
  const cdp = await drip.context.newCDPSession(page)
  const worker = await attachToWorker(drip, cdp)
  const sent = new Map<string, { at: number; method: string; url: string }>()
  const answered = new Map<string, number>()
  worker.on('Network.requestWillBeSent', (params) => {
    const request = params.request as { url: string; method: string }
    sent.set(params.requestId as string, { at: (params.timestamp as number) * 1000, method: request.method, url: request.url })
  })
  worker.on('Network.responseReceived', (params) => answered.set(params.requestId as string, (params.timestamp as number) * 1000))
  const finished = new Map<string, number>()
  worker.on('Network.loadingFinished', (params) => finished.set(params.requestId as string, (params.timestamp as number) * 1000))
  await worker.call('Network.enable')
  const timeline = await streamInPage(page, url)
  await worker.call('Network.disable')
  await worker.detach()
  await cdp.detach()
  const streamPath = `/api/sessions${new URL(url).pathname}`
  const ofStream = [...sent].filter(([, request]) => new URL(request.url).pathname === streamPath)
  // The stream's own GET (a challenge read before it, on a new channel, is answered 402 and never finishes).
  const [streamId, streamRequest] = ofStream.find(([id, request]) => request.method === 'GET' && finished.has(id)) ?? []
  const posts = ofStream
    .filter(([id, request]) => request.method === 'POST' && answered.has(id))
    .map(([id, request]) => ({ start: request.at, end: answered.get(id)! }))
    .sort((a, b) => a.start - b.start)
  const streamStart = streamRequest?.at ?? Number.NaN
  const streamEnd = streamId === undefined ? Number.NaN : (finished.get(streamId) ?? Number.NaN)
  const atSite = posts.reduce((sum, post) => sum + (post.end - post.start), 0)
  return {
    wordsPerSecond: rate(timeline),
    vouchers: posts.length,
    wordsPerVoucher: timeline.times.length / Math.max(1, posts.length),
    siteMs: median(posts.map((post) => post.end - post.start)),
    betweenMs: median(posts.slice(1).map((post, i) => post.start - posts[i]!.end)),
    atSitePercent: (100 * atSite) / (streamEnd - streamStart),
  }
}

/** Channel opens and top-ups by `payer` mined after `afterBlock`, on any of its channels (closing a channel later adds one more). */
function transactionsToRead(devnet: TestDevnet, payer: string, afterBlock: bigint): number {
  const byPayer = (events: ReturnType<typeof devnet.reserveEvents<'ChannelOpened'>>) => events.filter((e) => e.args.payer.toLowerCase() === payer.toLowerCase())
  const channels = new Set(byPayer(devnet.reserveEvents('ChannelOpened')).map((e) => e.args.channelId))
  return byPayer(devnet.reserveEvents('ChannelOpened', afterBlock)).length + devnet.reserveEvents('TopUp', afterBlock).filter((e) => channels.has(e.args.channelId)).length
}

void main()
