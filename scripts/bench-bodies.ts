/**
 * `npm run bench:bodies`: large paid answers on their way to the page, in
 * Chromium with the built extension. The page's own `fetch` of a paid
 * download (16 KiB, 256 KiB, 1 MiB, 4 MiB; an open channel, priced as a
 * photo) until its `arrayBuffer()`, beside the same bytes unpaid, in turns.
 * The paid one crosses the worker, the content script and the page's
 * world; how Drip carries bytes shows in the difference as the size grows
 * (`DRIP_CHROME_BUILD` measures another build). Beside it, the bound:
 * the same sizes posted by Drip's worker to one of its own pages over a
 * runtime port, the browser's part of the content script's hop, which a
 * listener the bench adds to the worker answers. A benchmark: it prints
 * everything and asserts nothing.
 *
 *   SAMPLES=15   paid and unpaid downloads of each size (after 2 of each not measured)
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { launchFundedDrip, openApproved } from '../tests/support/browser/fundedDrip'
import { repoRoot } from '../tests/support/browser/paths'
import { startDevnetAndDemo } from '../tests/support/demoSite'

const samples = Number(process.env.SAMPLES ?? 15)
const sizesKib = [16, 256, 1024, 4096]

/** The page's fetch of `path` until its whole body is read, in ms; throws unless it is a 200 of `bytes` bytes. */
const downloadMs = (path: string, bytes: number) => `(async () => {
  const start = performance.now()
  const response = await fetch(${JSON.stringify(path)})
  const body = await response.arrayBuffer()
  const ms = performance.now() - start
  if (response.status !== 200 || body.byteLength !== ${bytes}) throw new Error('${path}: HTTP ' + response.status + ', ' + body.byteLength + ' bytes')
  return ms
})()`

/** In the worker: answers a `bench:bodies` port's `{ bytes }` with that many bytes (made once per size, before the clock). */
const answerWithBytes = `(() => {
  const made = {}
  chrome.runtime.onConnect.addListener((port) => {
    if (port.name !== 'bench:bodies') return
    port.onMessage.addListener(({ bytes }) => {
      if (made[bytes] === undefined) made[bytes] = new Uint8Array(bytes).fill(7)
      port.postMessage(made[bytes])
    })
  })
})()`

/** In a Drip page: `samples` round trips of a port message answered with `bytes` bytes, in ms. */
const portRoundTrips = (bytes: number) => `(async () => {
  const port = chrome.runtime.connect({ name: 'bench:bodies' })
  const ask = () => new Promise((resolve) => {
    const heard = (answer) => { port.onMessage.removeListener(heard); resolve(answer) }
    port.onMessage.addListener(heard)
    port.postMessage({ bytes: ${bytes} })
  })
  // A build whose ports carry JSON (before Chrome's structured clone was asked for) cannot carry bytes.
  if (!((await ask()) instanceof Uint8Array)) return []
  const times = []
  for (let i = 0; i < ${samples}; i++) {
    const start = performance.now()
    const answer = await ask()
    if (answer.byteLength !== ${bytes}) throw new Error('The port carried ' + answer.byteLength + ' bytes')
    times.push(performance.now() - start)
  }
  port.disconnect()
  return times
})()`

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function main() {
  const env = await startDevnetAndDemo({ downloads: true })
  const origin = env.demo.origin
  const funded = await launchFundedDrip(env.devnet.url)
  const { drip, popupPage } = funded
  try {
    // The first download waits for the reader: approved as the popup pre-fills it.
    const { page } = await openApproved(funded, `${origin}/gallery`, downloadMs(`/api/sessions/download/${sizesKib[0]}`, sizesKib[0]! * 1024))
    await popupPage.goto('about:blank')
    const results: Record<string, { paid: number[]; unpaid: number[] }> = {}
    for (const kib of sizesKib) {
      const paid: number[] = []
      const unpaid: number[] = []
      for (let i = 0; i < samples + 2; i++) {
        const paidMs = await page.evaluate<number>(downloadMs(`/api/sessions/download/${kib}`, kib * 1024))
        const unpaidMs = await page.evaluate<number>(downloadMs(`/api/free/download/${kib}`, kib * 1024))
        if (i < 2) continue
        paid.push(paidMs)
        unpaid.push(unpaidMs)
      }
      results[kib] = { paid, unpaid }
    }
    await drip.serviceWorker.evaluate(answerWithBytes)
    const portTimes: Record<string, number[]> = {}
    const dripPage = await drip.openPopup()
    for (const kib of sizesKib) portTimes[kib] = await dripPage.evaluate<number[]>(portRoundTrips(kib * 1024))
    console.log(`\nA paid download on an open channel, Chromium, the page's fetch until its arrayBuffer() (medians of ${samples}, ms)\n`)
    console.log('| size | unpaid | paid | paid minus unpaid | the bound: a runtime port carrying the body (round trip) |\n| --- | --- | --- | --- | --- |')
    for (const [kib, { paid, unpaid }] of Object.entries(results))
      console.log(
        `| ${Number(kib) >= 1024 ? `${Number(kib) / 1024} MiB` : `${kib} KiB`} | ${median(unpaid).toFixed(1)} | ${median(paid).toFixed(1)} | ${(median(paid) - median(unpaid)).toFixed(1)} | ${portTimes[kib]!.length ? median(portTimes[kib]!).toFixed(1) : '— (this build’s ports carry JSON)'} |`,
      )
    mkdirSync(`${repoRoot}bench-results`, { recursive: true })
    writeFileSync(`${repoRoot}bench-results/bodies.json`, JSON.stringify({ at: new Date().toISOString(), samples, results, portTimes }, null, 2))
    console.log('Every sample: bench-results/bodies.json')
  } finally {
    await drip.close()
    await env.stop()
  }
}

await main()
