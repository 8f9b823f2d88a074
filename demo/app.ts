/**
 * The demo site: the seeds' mppx server as a Hono app on the Drip devnet.
 * Photo at $0.01, poem and articles at $0.001 per word over SSE, HTML pages
 * marked up for Drip, and unpaid twins for benchmarks.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Hono, type Context } from 'hono'
import { Challenge, Credential } from 'mppx'
import { payment } from 'mppx/hono'
import { Mppx, Store, tempo } from 'mppx/server'
import { Session } from 'mppx/tempo'
import { type Account, createClient, defineChain, formatUnits, type Hex, http, parseUnits } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { tempoLocalnet } from 'viem/chains'
import { Addresses } from 'viem/tempo'
import { findArticle, poem, poemWords } from './content'
import { createReadBook } from './reads'
import * as Pages from './pages'
import * as RealPages from './realPages'
import { photoCount, photoSvg, randomPhotoId } from './photos'

/** SSE framing as mppx writes it (multi-line values become several `data:` fields). */
const { formatMessageEvent: messageEvent, formatNeedVoucherEvent } = Session.Server.Sse

export type DemoOptions = {
  /** The devnet (or any chain 1337 RPC) the site settles on. */
  rpcUrl: string
  /** Private key of the dev account that receives payments and settles them. */
  recipientKey: Hex
  /** Binds challenges to this server; 32+ bytes. Defaults to one generated per run. */
  secretKey?: string
  /** Suggested opening deposit, in pathUSD. */
  suggestedDeposit?: string
  /** When the server settles vouchers on chain (besides on close). */
  settlementSchedule?: { units?: number; amount?: string; intervalMs?: number }
  /** `picsum` serves Picsum photos as the seed did (needs internet); default: generated locally. */
  photoSource?: 'local' | 'picsum'
  /** Test only: mounts /api/sessions/dishonest, a stream that asks to be paid for words it never sends. */
  dishonest?: boolean
  /**
   * Bench only: mounts /api/sessions/download/:kib, a download of that many KiB (at most `maxDownloadKib`) paid as a
   * photo, and /api/free/download/:kib, the same bytes unpaid, to time large answers on their way to the page.
   */
  downloads?: boolean
}

/** The largest bench download, in KiB. */
export const maxDownloadKib = 4096

export const prices = { photo: '0.01', word: '0.001', clip: '0.05', article: '0.05', tick: '0.001' } as const

/** The live ticker's bounds: ticks per session (`?ticks=`), and the pause between ticks. */
export const ticker = { defaultTicks: 50, maxTicks: 1000, intervalMs: 50 } as const

export function createDemoApp(options: DemoOptions) {
  const recipient: Account = privateKeyToAccount(options.recipientKey)
  const chain = defineChain({ ...tempoLocalnet, rpcUrls: { default: { http: [options.rpcUrl] } } })
  const client = createClient({ chain, transport: http(options.rpcUrl) })
  const suggestedDeposit = options.suggestedDeposit ?? '1'
  /** Channel state, shared by the HTTP routes and the WebSocket sessions (`Ws.serve`). */
  const store = Store.memory()

  const mppx = Mppx.create({
    secretKey: options.secretKey ?? randomSecret(),
    methods: [
      tempo({
        currency: Addresses.pathUsd,
        recipient: recipient.address,
        account: recipient,
        sse: true,
        chainId: chain.id,
        getClient: () => client,
        store,
        settlementSchedule: options.settlementSchedule ?? { amount: '0.5', intervalMs: 60_000 },
      }),
    ],
  })

  const reads = createReadBook()

  /** Streams `words` as a paid SSE response, charging one unit per word (the seed's generator) once per read (`reads.ts`). */
  async function paidStream(c: Context, header: object, words: string[], wordsPerSecond: number | undefined) {
    const result = await mppx.session({ amount: prices.word, unitType: 'word', suggestedDeposit })(await managementSafe(c.req.raw))
    if (result.status === 402) return result.challenge
    const pause = pacing(wordsPerSecond)
    const lastEventId = c.req.header('last-event-id')
    const offset = resumeOffset(lastEventId, words.length)
    const key = `${channelOf(c.req.header('authorization'))}:${new URL(c.req.url).pathname}`
    return result.withReceipt(async function* (stream: { charge(): Promise<void> }) {
      // Only a stream read is a read: voucher posts to the same URL (mppx's management requests) never get here.
      const read = reads.begin(key, lastEventId === undefined ? undefined : offset)
      let finished = false
      try {
        yield JSON.stringify(header)
        for (let index = offset; index < words.length; index++) {
          await pause()
          const charging = read.mustCharge(index)
          if (charging) await read.payFor(index, () => stream.charge())
          yield words[index]!
          // mppx commits a charge before it sends the word and asks for the next one only after: this word is paid.
          if (charging) read.charged(index)
        }
        finished = true
      } finally {
        read.end(finished)
      }
    } as never)
  }

  const app = new Hono()

  // Browser navigations to a paid URL get a readable page; the 402 status and
  // the WWW-Authenticate challenge are untouched, so wallets still see MPP.
  app.use('/api/sessions/*', async (c, next) => {
    await next()
    if (c.res.status !== 402 || !c.req.header('accept')?.includes('text/html')) return
    const challenge = safeChallenge(c.res)
    const headers = new Headers(c.res.headers)
    headers.set('content-type', 'text/html; charset=utf-8')
    c.res = new Response(
      Pages.paymentRequired({
        path: new URL(c.req.url).pathname,
        price: challenge ? formatUnits(BigInt(challenge.request.amount as string), 6) : undefined,
        unit: challenge?.request.unitType as string | undefined,
      }),
      { status: 402, headers },
    )
  })

  app.on(
    ['GET', 'POST', 'HEAD'],
    '/api/sessions/photo',
    payment(mppx.session, { amount: prices.photo, unitType: 'photo', suggestedDeposit }),
    async (c) => {
      if (options.photoSource === 'picsum') {
        const res = await fetch('https://picsum.photos/200/200')
        return c.json({ url: res.url })
      }
      return c.json({ url: new URL(`/photos/${randomPhotoId()}.svg`, c.req.url).href })
    },
  )

  // The paid photo API as another site serves it to the gallery: CORS lets the demo's other host name read it, and
  // (as many APIs do) exposes no WWW-Authenticate or Payment-Receipt to the page.
  app.use('/api/cross/*', async (c, next) => {
    const origin = c.req.header('origin')
    const allowed = origin !== undefined && isSiblingOrigin(origin, c.req.url)
    if (c.req.method === 'OPTIONS') return c.body(null, 204, allowed ? corsHeaders(origin) : {})
    await next()
    if (allowed) for (const [name, value] of Object.entries(corsHeaders(origin))) c.res.headers.set(name, value)
  })
  app.on(['GET', 'POST'], '/api/cross/photo', payment(mppx.session, { amount: prices.photo, unitType: 'photo', suggestedDeposit }), (c) =>
    c.json({ url: new URL(`/photos/${randomPhotoId()}.svg`, c.req.url).href }),
  )

  // The live ticker's HTTP side (mppx's WebSocket sessions): the 402 probe a client makes before opening the
  // socket, and the top-up and close POSTs. The ticks themselves flow over the socket (`serveTicker`).
  const tickerRoute = (request: Request) => mppx.session({ amount: prices.tick, unitType: 'tick', suggestedDeposit })(request)
  app.on(['GET', 'POST', 'HEAD'], '/api/sessions/ticker', async (c) => {
    const url = new URL(c.req.url)
    url.search = ''
    const result = await tickerRoute(new Request(url, c.req.raw))
    if (result.status === 402) return result.challenge
    if (c.req.method === 'POST') return result.withReceipt(new Response(null, { status: 204 }))
    return result.withReceipt(c.json({ error: 'The ticker streams over a WebSocket at this URL.' }, 426))
  })

  app.get('/api/free/photo', (c) => c.json({ url: new URL(`/photos/${randomPhotoId()}.svg`, c.req.url).href }))

  app.on(['GET', 'POST', 'HEAD'], '/api/sessions/poem', (c) =>
    paidStream(c, { title: poem.title, author: poem.author }, poemWords, undefined),
  )

  for (const paced of [false, true]) {
    const suffix = paced ? '/wps/:wps' : ''
    app.on(['GET', 'POST', 'HEAD'], `/api/sessions/article/:slug${suffix}`, (c) => {
      const article = findArticle(c.req.param('slug'))
      if (!article) return c.json({ error: `No article "${c.req.param('slug')}".` }, 404)
      const wps = paced ? parseWordsPerSecond(c.req.param('wps')) : undefined
      if (wps === null) return c.json({ error: 'wps must be a whole number of words per second from 1 to 10000.' }, 400)
      return paidStream(c, { title: article.title, author: article.author }, article.words, wps)
    })
    app.get(`/api/free/article/:slug${suffix}`, (c) => {
      const article = findArticle(c.req.param('slug'))
      if (!article) return c.json({ error: `No article "${c.req.param('slug')}".` }, 404)
      const wps = paced ? parseWordsPerSecond(c.req.param('wps')) : undefined
      if (wps === null) return c.json({ error: 'wps must be a whole number of words per second from 1 to 10000.' }, 400)
      return freeStream({ title: article.title, author: article.author }, article.words, wps)
    })
  }

  if (options.dishonest)
    app.on(['GET', 'POST'], '/api/sessions/dishonest', async (c) => {
      const result = await mppx.session({ amount: prices.word, unitType: 'word', suggestedDeposit })(await managementSafe(c.req.raw))
      if (result.status === 402) return result.challenge
      if (c.req.method === 'POST') return new Response(null, { status: 204 })
      // Sends one word, then asks for a voucher ten words ahead of what it delivered.
      const { payload } = Credential.deserialize(c.req.header('authorization')!) as { payload: { channelId: string; cumulativeAmount: string } }
      const price = parseUnits(prices.word, 6)
      const body = [
        messageEvent(JSON.stringify({ title: 'A dishonest stream' })),
        messageEvent('Pay'),
        formatNeedVoucherEvent({
          channelId: payload.channelId as `0x${string}`,
          requiredCumulative: (BigInt(payload.cumulativeAmount) + 10n * price).toString(),
          acceptedCumulative: payload.cumulativeAmount,
          deposit: '1000000',
        }),
      ].join('')
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
    })

  if (options.dishonest) app.get('/dishonest', (c) => c.html(Pages.dishonestPage()))

  if (options.downloads) {
    const download = (c: Context) => {
      const kib = Number(c.req.param('kib'))
      if (!Number.isInteger(kib) || kib < 1 || kib > maxDownloadKib) return c.html(Pages.notFound(), 404)
      return c.body(downloadBytes(kib), 200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' })
    }
    app.get('/api/sessions/download/:kib', payment(mppx.session, { amount: prices.photo, unitType: 'photo', suggestedDeposit }), download)
    app.get('/api/free/download/:kib', download)
  }

  // Paid media, as a site marks it up: <img src> and <audio src> straight at a URL that answers 402.
  app.get('/api/sessions/image/:file', payment(mppx.session, { amount: prices.photo, unitType: 'photo', suggestedDeposit }), (c) => {
    const match = /^(\d+)\.svg$/.exec(c.req.param('file'))
    const id = match ? Number(match[1]) : 0
    if (id < 1 || id > photoCount) return c.html(Pages.notFound(), 404)
    return c.body(photoSvg(id), 200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' })
  })
  app.get('/api/sessions/clip.wav', payment(mppx.session, { amount: prices.clip, unitType: 'clip', suggestedDeposit }), (c) =>
    c.body(toneWav(), 200, { 'content-type': 'audio/wav', 'cache-control': 'no-store' }),
  )

  // A one-shot purchase (mppx `tempo.charge`): the whole article for one payment, answered as JSON.
  app.on(['GET', 'POST'], '/api/charge/article/:slug', payment(mppx.charge, { amount: prices.article, description: 'One article, to keep' }), (c) => {
    const article = findArticle(c.req.param('slug'))
    if (!article) return c.json({ error: `No article "${c.req.param('slug')}".` }, 404)
    return c.json({ title: article.title, author: article.author, text: article.words.join(' ') })
  })

  app.get('/photos/:file', (c) => {
    const match = /^(\d+)\.svg$/.exec(c.req.param('file'))
    const id = match ? Number(match[1]) : 0
    if (id < 1 || id > photoCount) return c.html(Pages.notFound(), 404)
    return c.body(photoSvg(id), 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' })
  })

  app.get('/', (c) => c.html(Pages.home()))
  app.get('/developers', (c) => c.html(Pages.developers()))
  app.get('/real/poem', (c) => c.html(RealPages.poemWithEventSource()))
  app.get('/real/gallery-api', (c) => c.html(RealPages.galleryOfAnotherSite()))
  app.get('/real/media', (c) => c.html(RealPages.paidMedia()))
  app.get('/real/gallery', (c) => c.html(RealPages.galleryWithAxios()))
  app.get('/real/article/:slug', (c) => {
    const article = findArticle(c.req.param('slug'))
    return article ? c.html(RealPages.withStreamingFetch(article.title, `/api/sessions/article/${article.slug}`)) : c.html(Pages.notFound(), 404)
  })
  app.get('/real/ticker', (c) => {
    const requested = Number(c.req.query('ticks') ?? ticker.defaultTicks)
    return c.html(RealPages.tickerWithWebSocket(Number.isSafeInteger(requested) && requested >= 1 && requested <= ticker.maxTicks ? requested : ticker.defaultTicks))
  })
  app.get('/real/buy/:slug', (c) => {
    const article = findArticle(c.req.param('slug'))
    return article ? c.html(RealPages.buyArticle(article.slug, article.title)) : c.html(Pages.notFound(), 404)
  })
  // The unpaid twin of /real/article/:slug, for the benchmark: the same page reading the free stream.
  app.get('/real/free-article/:slug', (c) => {
    const article = findArticle(c.req.param('slug'))
    return article ? c.html(RealPages.withStreamingFetch(article.title, `/api/free/article/${article.slug}`)) : c.html(Pages.notFound(), 404)
  })
  app.get('/real/poem-fetch', (c) => c.html(RealPages.withStreamingFetch(poem.title, '/api/sessions/poem')))
  app.get('/vendor/axios.min.js', (c) => c.body(axiosBundle(), 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=3600' }))
  app.get('/gallery', (c) => c.html(Pages.gallery()))
  app.get('/poem', (c) => c.html(Pages.poemPage()))
  app.get('/article/:slug', (c) => {
    const article = findArticle(c.req.param('slug'))
    if (!article) return c.html(Pages.notFound(), 404)
    const wps = c.req.query('wps') === undefined ? undefined : parseWordsPerSecond(c.req.query('wps')!)
    return c.html(Pages.articlePage(article, wps ?? undefined))
  })
  app.notFound((c) => c.html(Pages.notFound(), 404))

  /**
   * A live price ticker over a WebSocket, paid per tick through mppx's
   * `Ws.serve`: the socket's first frame must be a session credential, then
   * each tick is charged before it is sent.
   */
  function serveTicker(socket: Parameters<typeof tempo.Ws.serve>[0]['socket'], url: URL) {
    const requested = Number(url.searchParams.get('ticks') ?? ticker.defaultTicks)
    const ticks = Number.isSafeInteger(requested) && requested >= 1 && requested <= ticker.maxTicks ? requested : ticker.defaultTicks
    const httpUrl = new URL(url)
    httpUrl.protocol = url.protocol === 'wss:' ? 'https:' : 'http:'
    httpUrl.search = ''
    return tempo.Ws.serve({
      socket,
      store,
      url: httpUrl,
      amount: parseUnits(prices.tick, 6).toString(),
      route: tickerRoute,
      // An iterable, not a generator function: mppx then charges one tick before sending each value.
      generate: (async function* () {
        let price = 100_00
        for (let tick = 1; tick <= ticks; tick++) {
          await new Promise((resolve) => setTimeout(resolve, ticker.intervalMs))
          price += ((tick * 7919) % 21) - 10
          yield JSON.stringify({ tick, symbol: 'DRIP', price: (price / 100).toFixed(2) })
        }
      })(),
    })
  }

  return { app, mppx, recipient: recipient.address, suggestedDeposit, serveTicker, openReads: reads.open }
}

/**
 * mppx classifies a POST to a URL with a query string as a content request,
 * so the SSE client's voucher POST to `/stream?ref=x` would start a second,
 * unpayable stream. Streams here are only ever read with GET, so POSTs reach
 * mppx without their query and are answered as the management updates they are.
 */
async function managementSafe(request: Request): Promise<Request> {
  const url = new URL(request.url)
  if (request.method !== 'POST' || !url.search) return request
  url.search = ''
  const body = await request.arrayBuffer()
  return new Request(url, { method: 'POST', headers: request.headers, body: body.byteLength ? body : undefined })
}

/** The channel a session credential pays from, or '' when there is none to read. */
function channelOf(authorization: string | undefined): string {
  try {
    return String((Credential.deserialize(authorization ?? '').payload as { channelId?: unknown }).channelId ?? '')
  } catch {
    return ''
  }
}

/**
 * A reader that lost its connection resumes with `Last-Event-ID: N`, the
 * number of words it already has; the stream (and its charges) start after
 * them. Anything else starts from the beginning.
 */
function resumeOffset(header: string | undefined, length: number): number {
  if (!header || !/^\d{1,9}$/.test(header)) return 0
  return Math.min(Number(header), length)
}

/** The same words and SSE framing as the paid stream, with no payment: the benchmark baseline. */
function freeStream(header: object, words: string[], wordsPerSecond: number | undefined): Response {
  const encoder = new TextEncoder()
  const pause = pacing(wordsPerSecond)
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(messageEvent(JSON.stringify(header))))
      for (const word of words) {
        await pause()
        controller.enqueue(encoder.encode(messageEvent(word)))
      }
      controller.close()
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } })
}

/** Returns a function that waits out the gap before each word; no pacing means no wait. */
function pacing(wordsPerSecond: number | undefined): () => Promise<void> {
  if (!wordsPerSecond) return async () => {}
  const interval = 1000 / wordsPerSecond
  let next = performance.now()
  return async () => {
    next += interval
    const wait = next - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  }
}

function parseWordsPerSecond(value: string): number | null {
  const wps = Number(value)
  return Number.isInteger(wps) && wps >= 1 && wps <= 10_000 ? wps : null
}

function safeChallenge(response: Response) {
  try {
    return Challenge.fromResponse(response)
  } catch {
    return undefined
  }
}

function randomSecret(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** axios' browser bundle from node_modules, served to the axios gallery (the demo works offline). */
let axiosSource: string | undefined
function axiosBundle(): string {
  // axios exports only its entry points; its browser bundle sits beside the Node one.
  axiosSource ??= readFileSync(join(dirname(createRequire(import.meta.url).resolve('axios')), '..', 'axios.min.js'), 'utf8')
  return axiosSource
}

/**
 * The demo plays two sites on one port: `127.0.0.1` and `localhost` are two
 * origins to the browser. A page on one may call the cross-origin API on
 * the other.
 */
function isSiblingOrigin(origin: string, requestUrl: string): boolean {
  try {
    const page = new URL(origin)
    const api = new URL(requestUrl)
    const names = ['127.0.0.1', 'localhost']
    return page.port === api.port && page.hostname !== api.hostname && names.includes(page.hostname) && names.includes(api.hostname)
  } catch {
    return false
  }
}

function corsHeaders(origin: string): Record<string, string> {
  return { 'access-control-allow-origin': origin, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type', vary: 'Origin' }
}

/** A one-second 440 Hz tone as 8 kHz 8-bit mono WAV, made here: the demo's paid audio clip, no download. */
let tone: Uint8Array<ArrayBuffer> | undefined
function toneWav(): Uint8Array<ArrayBuffer> {
  if (tone) return tone
  const rate = 8000
  const samples = rate
  const bytes = new Uint8Array(44 + samples)
  const view = new DataView(bytes.buffer)
  const text = (offset: number, value: string) => [...value].forEach((char, i) => view.setUint8(offset + i, char.charCodeAt(0)))
  text(0, 'RIFF')
  view.setUint32(4, 36 + samples, true)
  text(8, 'WAVEfmt ')
  view.setUint32(16, 16, true)
  view.setUint16(20, 1, true)
  view.setUint16(22, 1, true)
  view.setUint32(24, rate, true)
  view.setUint32(28, rate, true)
  view.setUint16(32, 1, true)
  view.setUint16(34, 8, true)
  text(36, 'data')
  view.setUint32(40, samples, true)
  for (let i = 0; i < samples; i++) bytes[44 + i] = 128 + Math.round(60 * Math.sin((2 * Math.PI * 440 * i) / rate))
  return (tone = bytes)
}

/** `kib` KiB of every byte value in turn: no text decoding keeps them, and nothing compresses them away. */
function downloadBytes(kib: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(kib * 1024)
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 151) & 255
  return bytes
}
