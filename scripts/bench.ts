/**
 * `npm run bench`: paid streams and photos side by side, in one run, on the
 * devnet and the demo site: the unpaid twin, Drip in Chromium, and mppx's
 * Node session client. Prints a table and writes bench-results/bench.json.
 * Also counts the on-chain transactions each client needs to read the
 * seeds' 42-word poem from a server that, like the seeds', suggests no
 * deposit.
 * A benchmark, not a test: it measures and asserts nothing.
 *
 *   LOOKAHEAD=100  units Drip signs ahead (its throughput setting)
 *   PACED_WORDS=500  words read from each paced (50 words/s) stream
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { createParser } from 'eventsource-parser'
import { Mppx, tempo } from 'mppx/client'
import { createClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { Page } from 'playwright-core'
import { launchChromium } from '../tests/support/browser/chromium'
import { repoRoot } from '../tests/support/browser/paths'
import { waitUntil } from '../tests/support/pages/driver'
import { PopupPage } from '../tests/support/pages/popup'
import { StreamPage } from '../tests/support/pages/stream'
import { startDevnetAndDemo } from '../tests/support/demoSite'
import type { TestDevnet } from '../tests/support/devnet'
import { poemWords, startPaidSite } from '../tests/support/paidSite'
import { pathUsdAddress } from '../devnet/index'

const lookahead = Number(process.env.LOOKAHEAD ?? 100)
const pacedWords = Number(process.env.PACED_WORDS ?? 500)
const pacedWps = 50
const photos = 50
const slug = 'metered-reading'

type Timeline = { times: number[]; start: number }

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

async function readSse(response: Response, limit = Infinity): Promise<Timeline> {
  const start = performance.now()
  const times: number[] = []
  const reader = response.body!.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader()
  let first = true
  const parser = createParser({
    onEvent(event) {
      if ((event.event ?? 'message') !== 'message') return
      if (first) return void (first = false) // the JSON header
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

async function main() {
  const env = await startDevnetAndDemo()
  const origin = env.demo.origin
  const results: Record<string, Record<string, number | string>> = {}
  const rpc = createClient({ chain: env.devnet.viemChain, transport: http(env.devnet.url) })
  const manager = (index: number) =>
    tempo.session.manager({ account: privateKeyToAccount(env.devnet.accounts[index]!.privateKey), maxDeposit: '10', client: rpc })

  // Unpaid baseline
  const unpaid = await readSse(await fetch(`${origin}/api/free/article/${slug}`))
  const unpaidPaced = await readSse(await fetch(`${origin}/api/free/article/${slug}/wps/${pacedWps}`), pacedWords)
  const unpaidPhotos = performance.now()
  for (let i = 0; i < photos; i++) await (await fetch(`${origin}/api/free/photo`)).json()
  results.unpaid = {
    'words/s unpaced': rate(unpaid),
    [`words/s paced ${pacedWps}`]: rate(unpaidPaced),
    'lateness p50 ms': lateness(unpaidPaced).p50,
    'lateness p99 ms': lateness(unpaidPaced).p99,
    'first word ms, new channel': unpaid.times[0]! - unpaid.start,
    'first word ms, open channel': unpaid.times[0]! - unpaid.start,
    'photos/s': photos / ((performance.now() - unpaidPhotos) / 1000),
  }

  // mppx Node client: one voucher per word
  const session = manager(3)
  const mppxFirst = performance.now()
  const mppxTimes: number[] = []
  let mppxFirstWord = 0
  let header = true
  for await (const _ of await session.sse(`${origin}/api/sessions/article/${slug}`)) {
    if (header) {
      header = false
      continue
    }
    mppxTimes.push(performance.now())
    if (!mppxFirstWord) mppxFirstWord = performance.now() - mppxFirst
  }
  const mppxOpen = performance.now()
  const mppxPacedTimes: number[] = []
  let mppxOpenFirstWord = 0
  header = true
  for await (const _ of await session.sse(`${origin}/api/sessions/article/${slug}/wps/${pacedWps}`)) {
    if (header) {
      header = false
      continue
    }
    mppxPacedTimes.push(performance.now())
    if (!mppxOpenFirstWord) mppxOpenFirstWord = performance.now() - mppxOpen
    if (mppxPacedTimes.length >= pacedWords) break
  }
  const payer = privateKeyToAccount(env.devnet.accounts[4]!.privateKey)
  Mppx.create({ methods: [tempo({ account: payer, maxDeposit: '10', getClient: () => rpc })] })
  await fetch(`${origin}/api/sessions/photo`) // opens the channel
  const mppxPhotos = performance.now()
  for (let i = 0; i < photos; i++) await (await fetch(`${origin}/api/sessions/photo`)).json()
  const mppxPhotoRate = photos / ((performance.now() - mppxPhotos) / 1000)
  Mppx.restore()
  results['mppx client'] = {
    'words/s unpaced': rate({ times: mppxTimes, start: mppxFirst }),
    [`words/s paced ${pacedWps}`]: rate({ times: mppxPacedTimes, start: mppxOpen }),
    'lateness p50 ms': lateness({ times: mppxPacedTimes, start: 0 }).p50,
    'lateness p99 ms': lateness({ times: mppxPacedTimes, start: 0 }).p99,
    'first word ms, new channel': mppxFirstWord,
    'first word ms, open channel': mppxOpenFirstWord,
    'photos/s': mppxPhotoRate,
  }

  // The seeds' server: no suggested deposit
  const seed = await startPaidSite({ devnet: env.devnet, recipient: privateKeyToAccount(env.devnet.accounts[1]!.privateKey), currency: pathUsdAddress })
  const seedPoem = `${seed.origin}/poem`
  const seedStart = BigInt(env.devnet.chain.latest.number)
  let seedWords = 0
  for await (const _ of await manager(5).sse(seedPoem)) seedWords++
  results['mppx client']!['seed poem: on-chain tx to read'] = transactionsToRead(env.devnet, privateKeyToAccount(env.devnet.accounts[5]!.privateKey).address, seedStart)
  if (seedWords !== poemWords.length + 1) console.warn(`mppx read ${seedWords - 1} of the seed poem's ${poemWords.length} words`)

  // Drip in Chromium
  const drip = await launchChromium()
  try {
    const popupPage = await drip.openPopup()
    const popup = new PopupPage(popupPage)
    await popup.setUpFunded(env.devnet.url)
    await popup.setLookahead(lookahead)
    const page = await drip.context.newPage()
    await page.goto(`${origin}/poem`)
    await new StreamPage(page).waitForState(['pending'])
    await popup.approve(origin, '20')
    const dripStream = async (path: string, limit = Infinity) => {
      await page.goto('about:blank')
      const navigated = performance.now()
      await page.goto(`${origin}${path}`, { waitUntil: 'commit' })
      const times = await recordWords(page, limit)
      if (!times.length) throw new Error(`No words recorded for ${path}: ${JSON.stringify(await new StreamPage(page).read())}`)
      return { times: times.map((t) => t.node), start: navigated, firstWordMs: times[0]!.node - navigated }
    }
    // The same page reading the free twin, then the paid article, each through the page's own streaming fetch: the
    // unpaid figure is the physical limit for a page in this browser.
    // The free stream can be over before a test could attach: the page records its own words' times from the start.
    await page.addInitScript(`window.benchWordTimes = []
      new MutationObserver(() => {
        const text = document.getElementById('text')
        const words = Number(text?.dataset.words ?? 0)
        while (window.benchWordTimes.length < words) window.benchWordTimes.push(performance.now())
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-words'] })`)
    const pageStream = async (path: string) => {
      await page.goto(`${origin}${path}`)
      await waitUntil(() => page.evaluate(`document.getElementById('text')?.dataset.state`) as Promise<string>, (state) => state !== 'connecting', { what: `${path} to finish`, timeoutMs: 300_000 })
      const times = (await page.evaluate('window.benchWordTimes')) as number[]
      return { times, start: 0 }
    }
    const twin = await pageStream(`/real/free-article/${slug}`)
    const pageFetch = await pageStream(`/real/article/${slug}`)
    const fresh = await dripStream(`/article/${slug}`)
    const paced = await dripStream(`/article/${slug}?wps=${pacedWps}`, pacedWords)
    await page.goto(`${origin}/gallery`)
    const photoRate = (await page.evaluate(`(async () => {
      await fetch('/api/sessions/photo')
      const start = performance.now()
      for (let i = 0; i < ${photos}; i++) await (await fetch('/api/sessions/photo')).json()
      return ${photos} / ((performance.now() - start) / 1000)
    })()`)) as number
    results['unpaid twin, rendered (Chromium page)'] = { "words/s, the page's own fetch": rate(twin) }
    results[`Drip (Chromium, lookahead ${lookahead})`] = {
      'words/s unpaced': rate(fresh),
      "words/s, the page's own fetch": rate(pageFetch),
      [`words/s paced ${pacedWps}`]: rate(paced),
      'lateness p50 ms': lateness(paced).p50,
      'lateness p99 ms': lateness(paced).p99,
      'first word ms, new channel': fresh.firstWordMs,
      'first word ms, open channel': paced.firstWordMs,
      'photos/s': photoRate,
    }

    // The seeds' poem, approved as the popup pre-fills it (one deposit step)
    const before = BigInt(env.devnet.chain.latest.number)
    const seedPage = await drip.context.newPage()
    await seedPage.goto(seedPoem)
    await new StreamPage(seedPage).waitForState(['pending'])
    await popupPage.bringToFront()
    await popupPage.reload()
    const prefilled = await popup.approve(seed.origin, 'as pre-filled')
    const read = await new StreamPage(seedPage).waitForState(['complete'])
    results[`Drip (Chromium, lookahead ${lookahead})`]!['seed poem: on-chain tx to read'] = transactionsToRead(env.devnet, await popup.address(), before)
    console.log(`Drip read ${read.words} of the seed poem's ${poemWords.length} words, approved at the pre-filled $${prefilled}.`)
  } finally {
    await drip.close()
    await seed.close()
    await env.stop()
  }

  const rows = Object.entries(results).map(([client, values]) => ({
    client,
    ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(v < 10 ? 1 : 0)) : v])),
  }))
  console.table(rows)
  const dripResult = Object.entries(results).find(([name]) => name.startsWith('Drip'))![1]
  const ratio = (a: number, b: number) => `${(a / b).toPrecision(3)}×`
  const ratios = {
    'Drip words/s vs unpaid': ratio(dripResult['words/s unpaced'] as number, results.unpaid!['words/s unpaced'] as number),
    'Drip words/s vs mppx client': ratio(dripResult['words/s unpaced'] as number, results['mppx client']!['words/s unpaced'] as number),
    "Drip, the page's own fetch, vs its unpaid twin rendered in the same Chromium": ratio(
      dripResult["words/s, the page's own fetch"] as number,
      results['unpaid twin, rendered (Chromium page)']!["words/s, the page's own fetch"] as number,
    ),
    'Drip photos/s vs unpaid': ratio(dripResult['photos/s'] as number, results.unpaid!['photos/s'] as number),
    'mppx photos/s vs unpaid': ratio(results['mppx client']!['photos/s'] as number, results.unpaid!['photos/s'] as number),
  }
  console.table(ratios)
  mkdirSync(`${repoRoot}bench-results`, { recursive: true })
  writeFileSync(`${repoRoot}bench-results/bench.json`, JSON.stringify({ at: new Date().toISOString(), lookahead, pacedWords, results, ratios }, null, 2))
  console.log('Written to bench-results/bench.json')
}

/** Channel opens and top-ups by `payer` mined after `afterBlock` (closing the channel later adds one more). */
function transactionsToRead(devnet: TestDevnet, payer: string, afterBlock: bigint): number {
  const opened = devnet.reserveEvents('ChannelOpened', afterBlock).filter((e) => e.args.payer.toLowerCase() === payer.toLowerCase())
  const channels = new Set(opened.map((e) => e.args.channelId))
  return opened.length + devnet.reserveEvents('TopUp', afterBlock).filter((e) => channels.has(e.args.channelId)).length
}

/** Where the page's word callback records; exposed once per page, pointed at each run's array. */
let sink: { node: number }[] = []
const exposed = new WeakSet<Page>()

/** Where a page shows its words: Drip's declared-stream element by default, or a page's own element and state. */
type WordSource = { selector: string; attribute: string; state: () => Promise<string | null> }

/** Timestamps (Node clock) of each word as it is rendered into the page's stream element. */
async function recordWords(page: Page, limit: number, source?: WordSource): Promise<{ node: number }[]> {
  const times: { node: number }[] = []
  sink = times
  if (!exposed.has(page)) {
    exposed.add(page)
    await page.exposeFunction('dripBenchWord', () => void sink.push({ node: performance.now() }))
  }
  // A string, not a function: tsx would wrap named inner functions in a helper the page does not have.
  const selector = JSON.stringify(source?.selector ?? '[data-mpp-stream]')
  const attribute = JSON.stringify(source?.attribute ?? 'data-mpp-words')
  await page.evaluate(`(function attach() {
    const element = document.querySelector(${selector})
    if (!element) return void requestAnimationFrame(attach)
    let seen = 0
    new MutationObserver(() => {
      const words = Number(element.getAttribute(${attribute}) ?? 0)
      for (; seen < words; seen++) window.dripBenchWord()
    }).observe(element, { attributes: true, attributeFilter: [${attribute}] })
  })()`)
  const stream = new StreamPage(page)
  const state = source?.state ?? (async () => (await stream.read()).state)
  const deadline = Date.now() + 300_000
  while (times.length < limit && Date.now() < deadline) {
    const current = await state()
    if (current && !['connecting', 'streaming', 'waiting'].includes(current)) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  if (times.length >= limit) await page.goto('about:blank')
  return times.slice(0, limit)
}

void main()
