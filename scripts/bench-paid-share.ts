/**
 * `npm run bench:share`: where Drip's share of one paid request goes, in
 * Chromium with the built extension, on the demo's photo API (an open
 * channel, a running worker). Nothing in Drip is instrumented: from
 * outside, over CDP, this script
 *
 * - times the page's `fetch` of a paid photo, whole;
 * - takes the page's 402 and the worker's paid request from the network
 *   timings of each (the site's parts);
 * - wraps `chrome.storage` and `indexedDB` writes and `fetch` in the worker's
 *   scope, and sums the time the worker waited on each;
 * - logs each of those calls and each request's runtime port on the wall
 *   clock, and splits them by where they fell: on the way to the site (the
 *   page's fetch until the worker's paid request leaves), while the site
 *   answers, or on the way back (its head until the page has the JSON);
 * - samples the worker's CPU (the V8 profiler) and sums its busy time, split
 *   into signing (the secp256k1 and keccak code) and the rest.
 *
 * What is left of the whole after the site's parts is Drip's share; of it,
 * storage and the worker's CPU are what Drip spends inside the worker, and
 * the remainder is the hops between page, content script and worker. A
 * benchmark: it prints everything and asserts nothing.
 *
 * The way back of a small answer is split further from outside too: the
 * content script's world (over CDP) and the page's note when the answer is
 * posted on to the page, and when it reaches the page's world.
 *
 * Then the floor of the way there and back: the page hands Drip a request
 * it refuses before reading storage or asking the site (a TRACE), over the
 * same window message, content script and runtime port as a paid photo;
 * and the floor of the storage a voucher waits for: the worker, idle,
 * writes what a voucher writes before its credential leaves (the budget
 * count and the channel record, at their sizes after the photos), as two
 * sets at once and as one set holding both; and the floor of the worker's
 * own `fetch`: the demo's free photo, the same JSON unpaid, fetched by the
 * idle worker (the call, its head, its body after the head).
 *
 *   PHOTOS=40   paid photos measured (after 5 not measured)
 *   PROFILE=1   also sample the worker's CPU (it slows the worker: the
 *               other figures are then higher than without it)
 *   PAST_CHANNELS=200
 *               first give the account that many closed channels (a
 *               reader's past sites), in the layout the build stores, and
 *               restart the worker so it reads them
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { launchFundedDrip, openApproved } from '../tests/support/browser/fundedDrip'
import { attachToWorker } from '../tests/support/browser/workerCdp'
import { repoRoot } from '../tests/support/browser/paths'
import { startDevnetAndDemo } from '../tests/support/demoSite'
import { GalleryPage } from '../tests/support/pages/gallery'
import { pageRequestTag } from '../lib/protocol/requestPort'
import { type SiteTiming, watchPaidRequests } from '../tests/support/siteTimings'

const photos = Number(process.env.PHOTOS ?? 40)
const profiling = process.env.PROFILE === '1'
const pastChannels = Number(process.env.PAST_CHANNELS ?? 0)
const photoPath = '/api/sessions/photo'

/** The demo site runs in this process: its own time for each paid photo, from arrival to head (wall clock). */
const siteTimings = watchPaidRequests(photoPath)

/** Installed in the worker's scope: each wrapped call adds the time until it settled to its part. */
const wrapWorker = `(() => {
  const parts = globalThis.benchParts = { 'chrome.storage': [0, 0], 'indexedDB': [0, 0], 'fetch (the site)': [0, 0] }
  const calls = globalThis.benchStorageCalls = {}
  const log = globalThis.benchLog = []
  const at = () => performance.timeOrigin + performance.now()
  const timed = (part, run, label = part) => { const start = performance.now(); const started = at(); const settle = () => { parts[part][0] += performance.now() - start; parts[part][1]++; log.push([label, started, at()]) }; const result = run(); result.then(settle, settle); return result }
  for (const [areaName, area] of [['local', chrome.storage.local], ['session', chrome.storage.session]]) for (const name of ['get', 'set', 'remove']) {
    const own = area[name].bind(area)
    area[name] = (...args) => {
      const keys = typeof args[0] === 'string' ? [args[0]] : Array.isArray(args[0]) ? args[0] : Object.keys(args[0] ?? {})
      const label = areaName + '.' + name + ' ' + keys.map((key) => key.split(':')[0]).join(',')
      calls[label] = (calls[label] ?? 0) + 1
      return timed('chrome.storage', () => own(...args), label)
    }
  }
  // A page's request reaches the worker as a runtime port (its content script's): when it connects and its first message
  // lands. A paying page opens the next request's port while the site answers this one (sparePort.ts), so a port
  // that connects during a photo is the next photo's.
  chrome.runtime.onConnect.addListener((port) => {
    const connected = at()
    log.push(["port: connected (the next request's port, opened ahead)", connected, connected])
    const first = () => { port.onMessage.removeListener(first); const landed = at(); log.push(['port: first message', landed, landed]) }
    port.onMessage.addListener(first)
    const post = port.postMessage.bind(port)
    port.postMessage = (message) => { const posted = at(); if (['head', 'end', 'whole'].includes(message?.type)) log.push(['port: ' + message.type + ' posted', posted, posted]); return post(message) }
  })
  const ownFetch = globalThis.benchOwnFetch = globalThis.fetch
  globalThis.fetch = (...args) => timed('fetch (the site)', () => ownFetch(...args))
  for (const name of ['add', 'put']) {
    const own = IDBObjectStore.prototype[name]
    IDBObjectStore.prototype[name] = function (...args) {
      const request = own.apply(this, args)
      const start = performance.now()
      const started = at()
      const settle = () => { parts.indexedDB[0] += performance.now() - start; parts.indexedDB[1]++; log.push(['indexedDB ' + name, started, at()]) }
      request.addEventListener('success', settle)
      request.addEventListener('error', settle)
      return request
    }
  }
  return true
})()`

/**
 * Adds \`count\` closed copies of the account's channel, each for its own
 * site, behind the worker's back: as one item per channel (schema 7) or
 * into the one item of all channels (before it), whichever the build keeps.
 */
const seedPastChannels = (count: number) => `(async () => {
  const address = (await chrome.storage.local.get('vault')).vault.address.toLowerCase()
  const listKey = 'channelIds:' + address, allKey = 'channels:' + address
  const stored = await chrome.storage.local.get([listKey, allKey])
  const perChannel = Array.isArray(stored[listKey])
  const channel = perChannel ? Object.values(await chrome.storage.local.get('channel:' + address + ':' + stored[listKey][0]))[0] : Object.values(stored[allKey])[0]
  const past = Array.from({ length: ${count} }, (_, i) => {
    const id = '0x' + (i + 1).toString(16).padStart(64, 'f')
    return { ...channel, channelId: id, origin: 'https://site' + i + '.example', status: 'closed', closedAt: Date.now(), refunded: '1000' }
  })
  if (perChannel) await chrome.storage.local.set({ ...Object.fromEntries(past.map((record) => ['channel:' + address + ':' + record.channelId, record])), [listKey]: [...stored[listKey], ...past.map((record) => record.channelId)] })
  else await chrome.storage.local.set({ [allKey]: { ...stored[allKey], ...Object.fromEntries(past.map((record) => [record.channelId, record])) } })
  return perChannel ? 'one item per channel' : 'one item for all channels'
})()`

/** One paid photo from the gallery page's own fetch, in ms. */
const paidPhotoMs = (gallery: Page) => new GalleryPage(gallery).paidPhotoMs()

/** One paid photo's start and end on the wall clock the worker's log uses (ms). */
const paidPhotoSpan = (gallery: Page) =>
  gallery.evaluate<{ start: number; end: number }>(`(async () => {
    const start = performance.timeOrigin + performance.now()
    const response = await fetch('${photoPath}')
    if (!response.ok) throw new Error('The photo was not paid: HTTP ' + response.status)
    await response.json()
    return { start, end: performance.timeOrigin + performance.now() }
  })()`)

/**
 * Installed in the content script's world (over CDP) and in the page's: when the content script posts the answer's
 * last message on to the page (`MessagePort.postMessage` of its world), and when a message reaches a port's
 * `onmessage` in the page's world (the hand-over's), on the wall clock the worker's log uses.
 */
const watchRelay = `(() => {
  const at = () => performance.timeOrigin + performance.now()
  const relayed = globalThis.benchRelayed = []
  const post = MessagePort.prototype.postMessage
  MessagePort.prototype.postMessage = function (message, ...rest) { if (message?.type === 'whole' || message?.type === 'end') relayed.push(at()); return post.call(this, message, ...rest) }
})()`
const watchArrivals = `(() => {
  const at = () => performance.timeOrigin + performance.now()
  const arrived = globalThis.benchArrived = []
  const own = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage')
  Object.defineProperty(MessagePort.prototype, 'onmessage', { ...own, set(handler) { own.set.call(this, handler && ((event) => { arrived.push(at()); return handler(event) })) } })
})()`

/**
 * The way back of a small answer in three (ms each, per photo): the worker's post of it until the content script
 * posts it on to the page, until it reaches the page's world, and until the page has the JSON.
 */
function wayBack(spans: { start: number; end: number }[], log: LogLine[], relayed: number[], arrived: number[]) {
  const toContent: number[] = []
  const toPageWorld: number[] = []
  const toJson: number[] = []
  for (const span of spans) {
    const within = (at: number) => at >= span.start && at <= span.end
    const posted = log.find(([label, at]) => label === 'port: whole posted' && within(at))?.[1]
    const onward = relayed.find(within)
    const landed = arrived.filter(within).at(-1)
    if (posted === undefined || onward === undefined || landed === undefined) continue
    toContent.push(onward - posted)
    toPageWorld.push(landed - onward)
    toJson.push(span.end - landed)
  }
  return { toContent, toPageWorld, toJson }
}

/**
 * The worker's way to the site in three (ms each, per photo): from the request's first message until the budget count
 * is written (Drip's checks: the approval, the budgets, the lock), until the channel record is written (the voucher
 * signed), and until the paid request leaves (both writes landed).
 */
function workerSteps(spans: { start: number; end: number }[], log: LogLine[]) {
  const checks: number[] = []
  const signing: number[] = []
  const writes: number[] = []
  for (const span of spans) {
    const inSpan = log.filter(([, start]) => start >= span.start && start <= span.end)
    const site = inSpan.find(([label]) => label === 'fetch (the site)')?.[1]
    if (site === undefined) continue
    const startOf = (wanted: string) => inSpan.find(([label, start]) => label === wanted && start < site)?.[1]
    const [landed, counted, recorded] = [startOf('port: first message'), startOf('local.set spending'), startOf('local.set channel')]
    if (landed === undefined || counted === undefined || recorded === undefined) continue
    checks.push(counted - landed)
    signing.push(recorded - counted)
    writes.push(site - recorded)
  }
  return { checks, signing, writes }
}

/**
 * The page's hand-over of a request Drip refuses at once (`screenRequest`: it does not pay TRACE), until the page has
 * the refusal, in ms: the page, the content script and the worker's port there and back, and nothing else.
 */
const emptyRoundTripMs = (gallery: Page) =>
  gallery.evaluate<number>(`new Promise((resolve) => {
    const channel = new MessageChannel()
    const request = { url: location.origin + '${photoPath}', method: 'TRACE', headers: [], body: null, credentials: 'same-origin', wwwAuthenticate: null }
    const start = performance.now()
    channel.port1.onmessage = () => { channel.port1.close(); resolve(performance.now() - start) }
    window.postMessage({ drip: '${pageRequestTag}', command: { type: 'start', request } }, location.origin, [channel.port2])
  })`)

/**
 * In the worker, idle: `count` times its own `fetch` of the demo's free photo (the same JSON, unpaid), ms each: the
 * call itself (until it returns its promise), until the head, and the body after the head. What the browser
 * takes for a request from an extension's worker, whoever makes it.
 */
const workerFetchAlone = (url: string, count: number) => `(async () => {
  const parts = { call: [], head: [], body: [] }
  for (let i = 0; i < ${count}; i++) {
    const start = performance.now()
    const sent = fetch(${JSON.stringify(url)})
    const called = performance.now()
    const response = await sent
    const head = performance.now()
    await response.json()
    parts.call.push(called - start)
    parts.head.push(head - start)
    parts.body.push(performance.now() - head)
  }
  return parts
})()`

/**
 * In the worker, idle: `count` times the two writes a voucher waits for (its budget count and its channel record, as
 * stored now, into keys of their own), as two `chrome.storage.local.set` at once and as one holding both; ms each.
 */
const voucherWritesAlone = (count: number) => `(async () => {
  const address = (await chrome.storage.local.get('vault')).vault.address.toLowerCase()
  const [spendingKey, listKey] = ['spending:' + address, 'channelIds:' + address]
  const stored = await chrome.storage.local.get([spendingKey, listKey])
  const channelKey = 'channel:' + address + ':' + stored[listKey][0]
  const channel = (await chrome.storage.local.get(channelKey))[channelKey]
  const spending = stored[spendingKey]
  const timed = async (write) => { const times = []; for (let i = 0; i < ${count}; i++) { const start = performance.now(); await write(i); times.push(performance.now() - start) } return times }
  const apart = await timed((i) => Promise.all([chrome.storage.local.set({ 'bench:spending': { ...spending, i } }), chrome.storage.local.set({ 'bench:channel': { ...channel, cumulative: String(i) } })]))
  const together = await timed((i) => chrome.storage.local.set({ 'bench:spending': { ...spending, i }, 'bench:channel': { ...channel, cumulative: String(i) } }))
  await chrome.storage.local.remove(['bench:spending', 'bench:channel'])
  return { apart, together }
})()`

type LogLine = [label: string, start: number, end: number]

/**
 * Each photo's worker calls, by where they fell: before the paid request
 * left (on the way to the site) or after its head came back (on the way to
 * the page), with the time each call took and the medians of both stretches.
 */
function criticalPath(spans: { start: number; end: number }[], log: LogLine[]) {
  const before: number[] = []
  const after: number[] = []
  /** The way back in two: the site's head until the worker posts the head to the page, and the end posted until the page has the JSON (a small answer's one message is both). */
  const inWorker: number[] = []
  const toPage: number[] = []
  const calls: Record<string, { count: number; ms: number }> = {}
  /** Per mark ('port: …'), how long after the page's fetch began it came. */
  const marks: Record<string, number[]> = {}
  for (const span of spans) {
    const inSpan = log.filter(([, start]) => start >= span.start && start <= span.end)
    const site = inSpan.find(([label]) => label === 'fetch (the site)')
    if (!site) continue
    before.push(site[1] - span.start)
    after.push(span.end - site[2])
    const posted = (type: string) => inSpan.find(([label]) => label === `port: ${type} posted`)?.[1]
    const [head, end] = [posted('head') ?? posted('whole'), posted('end') ?? posted('whole')]
    if (head !== undefined) inWorker.push(head - site[2])
    if (end !== undefined) toPage.push(span.end - end)
    for (const [label, start, end] of inSpan) {
      if (label === 'fetch (the site)') continue
      if (label.startsWith('port: ')) {
        ;(marks[label] ??= []).push(start - span.start)
        continue
      }
      const where = start < site[1] ? 'before the site' : start >= site[2] ? 'after the site' : 'while the site answers'
      const entry = (calls[`${where}: ${label}`] ??= { count: 0, ms: 0 })
      entry.count++
      entry.ms += end - start
    }
  }
  return { before, after, inWorker, toPage, calls, marks }
}

/**
 * The site's part of each photo in three, on the wall clock: the worker's `fetch` until the request reaches the
 * site's process, the site's own handling until its head, and the head until the worker's `fetch` has it.
 */
function siteSplit(log: LogLine[], seen: SiteTiming[]) {
  const toSite: number[] = []
  const handling: number[] = []
  const back: number[] = []
  for (const [label, start, end] of log) {
    if (label !== 'fetch (the site)') continue
    const timing = seen.find((t) => t.arrived >= start && t.head <= end)
    if (!timing) continue
    toSite.push(timing.arrived - start)
    handling.push(timing.head - timing.arrived)
    back.push(end - timing.head)
  }
  return { toSite, handling, back }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

type ProfileNode = { id: number; callFrame: { functionName: string; url: string }; children?: number[] }

/** The worker's busy CPU time from a V8 profile, and the part of it in signing (noble's secp256k1 and keccak). */
function cpuTime(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const signing = (id: number) => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (/sign|secp|keccak|hmac|sha256/i.test(byId.get(at)!.callFrame.functionName)) return true
    return false
  }
  let busy = 0
  let signingMs = 0
  const selfMs: Record<string, number> = {}
  profile.samples.forEach((id, i) => {
    const { functionName, url } = byId.get(id)!.callFrame
    if (functionName === '(idle)' || functionName === '(program)' || functionName === '(garbage collector)') return
    const ms = (profile.timeDeltas[i] ?? 0) / 1000
    busy += ms
    if (signing(id)) signingMs += ms
    const where = `${functionName || '(anonymous)'} ${url.split('/').pop() ?? ''}`.trim()
    selfMs[where] = (selfMs[where] ?? 0) + ms
  })
  const top = Object.entries(selfMs).sort((a, b) => b[1] - a[1]).slice(0, 10)
  return { busy, signing: signingMs, top }
}

async function main() {
  const env = await startDevnetAndDemo()
  const origin = env.demo.origin
  const funded = await launchFundedDrip(env.devnet.url)
  const { drip, popupPage } = funded
  try {
    // The first photo waits for the reader: approved as the popup pre-fills it.
    const { page: gallery, first } = await openApproved<number>(funded, `${origin}/gallery`, `fetch('${photoPath}').then((r) => r.status)`)
    if (first !== 200) throw new Error('The first photo was not paid.')
    await popupPage.goto('about:blank')
    let layout = ''
    if (pastChannels > 0) {
      layout = await drip.serviceWorker.evaluate<string>(seedPastChannels(pastChannels))
      // The running worker keeps its channel records in memory: a fresh one reads the seeded ones.
      await drip.stopServiceWorker(gallery)
    }
    for (let i = 0; i < 5; i++) await paidPhotoMs(gallery)

    const pageCdp = await drip.context.newCDPSession(gallery)
    const worker = await attachToWorker(drip, pageCdp)
    /** Each photo request's send and head times (ms, the browser's one monotonic clock for page and worker alike). */
    const requests = (session: { on(method: string, listener: (params: Record<string, unknown>) => void): unknown }) => {
      const sent = new Map<string, number>()
      const found: { sent: number; head: number }[] = []
      session.on('Network.requestWillBeSent', (params) => {
        if ((params.request as { url: string }).url.endsWith(photoPath)) sent.set(params.requestId as string, (params.timestamp as number) * 1000)
      })
      session.on('Network.responseReceived', (params) => {
        const at = sent.get(params.requestId as string)
        if (at !== undefined) found.push({ sent: at, head: (params.timestamp as number) * 1000 })
      })
      return found
    }
    const pageRequests = requests(pageCdp)
    const workerRequests = requests(worker)
    await pageCdp.send('Network.enable')
    await worker.call('Network.enable')
    await worker.evaluate(wrapWorker)
    if (profiling) {
      await worker.call('Profiler.enable')
      await worker.call('Profiler.setSamplingInterval', { interval: 100 })
      await worker.call('Profiler.start')
    }
    // The content script's world is the extension's isolated one (its origin is the extension's).
    const worlds: { id: number; origin: string; auxData?: { type?: string } }[] = []
    pageCdp.on('Runtime.executionContextCreated', ({ context }) => worlds.push(context))
    await pageCdp.send('Runtime.enable')
    const contentWorld = worlds.find((world) => world.auxData?.type === 'isolated' && world.origin.startsWith('chrome-extension://'))
    if (contentWorld) await pageCdp.send('Runtime.evaluate', { contextId: contentWorld.id, expression: watchRelay })
    await gallery.evaluate(watchArrivals)
    const spans: { start: number; end: number }[] = []
    for (let i = 0; i < photos; i++) spans.push(await paidPhotoSpan(gallery))
    const totals = spans.map((span) => span.end - span.start)
    const cpu = profiling ? cpuTime(((await worker.call('Profiler.stop')) as { profile: Parameters<typeof cpuTime>[0] }).profile) : undefined
    const parts = await worker.evaluate<Record<string, [number, number]>>('globalThis.benchParts')
    const storageCalls = await worker.evaluate<Record<string, number>>('globalThis.benchStorageCalls')
    const log = await worker.evaluate<LogLine[]>('globalThis.benchLog')
    const path = criticalPath(spans, log)
    const relayed = contentWorld
      ? (((await pageCdp.send('Runtime.evaluate', { contextId: contentWorld.id, expression: 'globalThis.benchRelayed', returnByValue: true })).result.value ?? []) as number[])
      : []
    const back = wayBack(spans, log, relayed, await gallery.evaluate<number[]>('globalThis.benchArrived'))
    const steps = workerSteps(spans, log)
    const split = siteSplit(log, siteTimings)
    const emptyTrips: number[] = []
    for (let i = 0; i < photos; i++) emptyTrips.push(await emptyRoundTripMs(gallery))
    const writesAlone = await worker.evaluate<{ apart: number[]; together: number[] }>(voucherWritesAlone(photos))
    // The wrapped fetch would log these as the site's: the worker's own, from before the wrapper.
    await worker.evaluate('globalThis.fetch = globalThis.benchOwnFetch')
    const fetchAlone = await worker.evaluate<{ call: number[]; head: number[]; body: number[] }>(workerFetchAlone(`${origin}/api/free/photo`, photos))

    const site402 = pageRequests.map((r) => r.head - r.sent)
    const sitePaid = workerRequests.map((r) => r.head - r.sent)
    // Photo i: the page's 402 head, then the worker's paid request leaving (the page, the content script, the worker's authorize and pay in between).
    const beforePaid = workerRequests.map((r, i) => r.sent - (pageRequests[i]?.head ?? Number.NaN)).filter(Number.isFinite)
    const whole = median(totals)
    // A URL the page had paid goes straight to Drip (`page/paidUrls.ts`): then the page asks the site nothing itself.
    const site402Ms = site402.length ? median(site402) : 0
    const site = site402Ms + median(sitePaid)
    const share = whole - site
    const per = (ms: number) => ms / photos
    const rows: [string, string][] = [
      ['the page fetch of a paid photo, whole (median)', whole.toFixed(1)],
      [`the site: the page's 402 (median; ${site402.length} of ${photos} photos asked the site first)`, site402Ms.toFixed(1)],
      ["the site: the worker's paid request, to its answer's head (median)", median(sitePaid).toFixed(1)],
      ["Drip's share (whole minus the site's parts)", share.toFixed(1)],
      ...(beforePaid.length
        ? ([
            ["  from the page's 402 to the worker's paid request leaving (median): the page's wrapper, the hand-over, the content script, the worker's authorize and pay", median(beforePaid).toFixed(1)],
            ["  the rest (whole minus the site's parts and the part above): the page's fetch before its 402, and the answer's way back to the page's JSON", (share - median(beforePaid)).toFixed(1)],
          ] as [string, string][])
        : []),
      ...Object.entries(parts).map(([name, [ms, calls]]) => [`  in the worker, waiting on ${name} (mean per photo; ${(calls / photos).toFixed(1)} calls)`, per(ms).toFixed(1)] as [string, string]),
      ...(cpu
        ? ([
            ['  in the worker, CPU busy (mean per photo)', per(cpu.busy).toFixed(1)],
            ['    of which signing (secp256k1, keccak)', per(cpu.signing).toFixed(1)],
          ] as [string, string][])
        : []),
    ]
    const past = pastChannels > 0 ? `, the account holding ${pastChannels} closed channels (${layout})` : ''
    console.log(`\nA paid photo on an open channel, Chromium, ${photos} photos (after 5 not measured)${past}${profiling ? ', the worker profiled' : ''}; ms\n`)
    console.log('| part | ms |\n| --- | --- |')
    for (const [name, value] of rows) console.log(`| ${name} | ${value} |`)
    console.log('\nchrome.storage calls per photo, by area, method and item:')
    for (const [label, count] of Object.entries(storageCalls).sort((a, b) => b[1] - a[1])) console.log(`  ${(count / photos).toFixed(1)}  ${label}`)
    console.log(`\nThe way there and back (median ms): the page's fetch to the worker's paid request leaving ${median(path.before).toFixed(1)}; its head back to the page's JSON ${median(path.after).toFixed(1)}.`)
    if (path.inWorker.length && path.toPage.length)
      console.log(`  of the way back: the site's head until the worker posts it to the page ${median(path.inWorker).toFixed(1)}; the end posted until the page has the JSON ${median(path.toPage).toFixed(1)}`)
    if (back.toContent.length)
      console.log(
        `  of the latter (${back.toContent.length} photos): the worker's post until the content script posts it on ${median(back.toContent).toFixed(1)}; until the page's world has it ${median(back.toPageWorld).toFixed(1)}; until the page has the JSON ${median(back.toJson).toFixed(1)}`,
      )
    for (const [label, offsets] of Object.entries(path.marks)) console.log(`  ${label.slice('port: '.length)}, the worker's port (median ms after the page's fetch began): ${median(offsets).toFixed(1)}`)
    if (split.handling.length)
      console.log(
        `The site's part, split (median ms, ${split.handling.length} photos): the worker's fetch until the site's process has the request ${median(split.toSite).toFixed(1)}; the site's own handling to its head ${median(split.handling).toFixed(1)}; its head until the worker's fetch has it ${median(split.back).toFixed(1)}`,
      )
    console.log(`The floor of both ways: a request Drip refuses before storage or the site (a TRACE), handed over and answered (median of ${photos}): ${median(emptyTrips).toFixed(1)}`)
    console.log(
      `The floor of the storage a voucher waits for: its budget count and channel record written by the worker, idle (median of ${photos}): as two sets at once ${median(writesAlone.apart).toFixed(1)}; as one set holding both ${median(writesAlone.together).toFixed(1)}`,
    )
    console.log(
      `The floor of the worker's own fetch: the demo's free photo (the same JSON, unpaid), fetched by the worker, idle (median of ${photos}): the call itself ${median(fetchAlone.call).toFixed(1)}; to its head ${median(fetchAlone.head).toFixed(1)}; its body after the head ${median(fetchAlone.body).toFixed(1)}. The body after the head falls in Drip's share of a paid photo (the site's part ends at the head).`,
    )
    if (steps.checks.length) {
      console.log(
        `In the worker (median ms, ${steps.checks.length} photos): the request's first message until the budget count is written (Drip's checks) ${median(steps.checks).toFixed(1)}; until the channel record is written (the voucher signed) ${median(steps.signing).toFixed(1)}; until the paid request leaves (both writes landed) ${median(steps.writes).toFixed(1)}`,
      )
      // Every part of Drip's share at the least it took: the hops as a refused request makes them, the writes and the
      // worker's fetch by the idle worker, Drip's checks and signing and the page's JSON as in the photos.
      const floor: [string, number][] = [
        ['the hops there and back (a refused request)', median(emptyTrips)],
        ["Drip's checks", median(steps.checks)],
        ['signing', median(steps.signing)],
        ['the two writes (idle)', median(writesAlone.apart)],
        ["the worker's fetch call and its body after the head (idle)", median(fetchAlone.call) + median(fetchAlone.body)],
        ...(back.toJson.length ? ([['the page reading the JSON', median(back.toJson)]] as [string, number][]) : []),
      ]
      const least = floor.reduce((sum, [, ms]) => sum + ms, 0)
      console.log(`Drip's share with each part at its least (ms): ${floor.map(([part, ms]) => `${part} ${ms.toFixed(1)}`).join(' + ')} = ${least.toFixed(1)}, against ${share.toFixed(1)} measured.`)
    }
    console.log('The worker\'s storage calls on each stretch (calls per photo, mean ms each):')
    for (const [label, { count, ms }] of Object.entries(path.calls).sort()) console.log(`  ${(count / photos).toFixed(1)}  ${(ms / count).toFixed(2)} ms  ${label}`)
    if (cpu) {
      console.log('\nThe worker\'s CPU by function (self time, ms per photo):')
      for (const [where, ms] of cpu.top) console.log(`  ${per(ms).toFixed(2)}  ${where}`)
    }
    console.log('\nThe worker\'s fetch wait includes the site\'s answer; storage and CPU can overlap it only where Drip does not await them.')
    mkdirSync(`${repoRoot}bench-results`, { recursive: true })
    writeFileSync(`${repoRoot}bench-results/paid-share.json`, JSON.stringify({ at: new Date().toISOString(), photos, totals, spans, log, path, back, steps, emptyTrips, writesAlone, fetchAlone, split, pageRequests, workerRequests, parts, storageCalls, cpu }, null, 2))
    console.log('Every sample: bench-results/paid-share.json')
  } finally {
    await drip.close()
    await env.stop()
  }
}

await main()
