/**
 * A site that never asks for payment, for the no-harm suite: JSON, a small
 * event stream, a WebSocket echo (with permessage-deflate, as real servers
 * negotiate it), socket.io, a form, a beacon endpoint and 404s, and the
 * libraries pages load (axios, jQuery, zone.js, Sentry) from the project's
 * own dependencies: no network. It logs every request it receives (method,
 * path, WebSocket upgrades), so a test can compare what a page's server sees
 * with and without Drip; `/logged?request=…` (itself not logged) answers
 * once a request the page cannot await has arrived.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { build } from 'esbuild'
import { Server as SocketIoServer } from 'socket.io'
import { WebSocketServer } from 'ws'

export type NoHarmSite = {
  origin: string
  /** Requests received since the last `clearLog`, in order: "GET /json", "UPGRADE /echo". */
  log(): string[]
  clearLog(): void
  close(): Promise<void>
}

const packageFile = (name: string, file: string) => readFileSync(join(dirname(createRequire(import.meta.url).resolve(`${name}/package.json`)), file), 'utf8')

/** Sentry ships no browser bundle to npm: bundle its package as its CDN script would be, `window.Sentry`. */
async function sentryBundle(): Promise<string> {
  const result = await build({ stdin: { contents: "import * as Sentry from '@sentry/browser'; window.Sentry = Sentry", resolveDir: process.cwd() }, bundle: true, format: 'iife', minify: true, write: false, logLevel: 'silent' })
  return result.outputFiles[0]!.text
}

/**
 * The page's own first script: every window message it hears from the start, as a page's listeners would, both a
 * capturing one (it runs before listeners added earlier without capture) and a plain one.
 */
const hearWindowMessages = `window.heardMessages = []; for (const capture of [true, false]) addEventListener('message', (e) => heardMessages.push({ capture, data: JSON.stringify(e.data), ports: e.ports.length }), capture)`
/** The page's first script also records the errors and unhandled rejections its window reports (what Sentry would send). */
const hearWindowErrors = `window.heardErrors = []; addEventListener('error', (e) => heardErrors.push(['error', String(e.message), e.target === window]), true); addEventListener('unhandledrejection', (e) => heardErrors.push(['unhandledrejection', String(e.reason && e.reason.stack || e.reason)]))`

/**
 * A page whose first script opens a same-origin socket before Drip could tell the page anything of its site: every
 * event it gets (trusted, its target, the state then), the subprotocol and extensions on open, an echo and the close.
 * The body says what it saw once the socket closed; until then it carries `data-case-pending`.
 */
const earlySocketPage = `<!doctype html><html><head><title>Early socket</title><script>
  const seen = []
  const socket = new WebSocket(location.origin.replace(/^http/, 'ws') + '/echo')
  for (const type of ['open', 'message', 'error', 'close']) socket.addEventListener(type, (e) => seen.push([e.type, e.isTrusted, e.target === socket, socket.readyState, e.type === 'message' ? e.data : null]))
  socket.onopen = (e) => { seen.push(['onopen', e.isTrusted, socket.protocol, socket.extensions]); socket.send('hello') }
  socket.onmessage = () => socket.close(1000, 'done')
  socket.onclose = (e) => { seen.push(['onclose', e.isTrusted, e.code, e.reason, e.wasClean]); document.body.textContent = JSON.stringify(seen); document.body.removeAttribute('data-case-pending') }
</script></head><body data-case-pending></body></html>`

/** For `bench:wake`: the same first-script socket, timed from that script to its open event (`window.socketOpened`). */
const socketAtStartPage = `<!doctype html><html><head><title>Socket at start</title><script>
  const start = performance.now()
  const socket = new WebSocket(location.origin.replace(/^http/, 'ws') + '/echo')
  window.socketOpened = new Promise((resolve) => { socket.onopen = (e) => { resolve({ ms: performance.now() - start, trusted: e.isTrusted }); socket.close() } })
</script></head><body>Socket at start</body></html>`

/** The same query string whatever the run: socket.io's cache-busting `t` and its session id vary by themselves. */
function logged(url: string): string {
  if (!url.startsWith('/socket.io/')) return url
  const parsed = new URL(url, 'http://site')
  parsed.searchParams.delete('t')
  if (parsed.searchParams.has('sid')) parsed.searchParams.set('sid', '…')
  return parsed.pathname + parsed.search
}

const onePixelPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

export async function startNoHarmSite(): Promise<NoHarmSite> {
  let log: string[] = []
  const scripts: Record<string, string> = {
    '/axios.js': packageFile('axios', 'dist/axios.min.js'),
    '/jquery.js': packageFile('jquery', 'dist/jquery.min.js'),
    '/zone.js': packageFile('zone.js', 'bundles/zone.umd.min.js'),
    '/sentry.js': await sentryBundle(),
  }
  const server = createServer((req, res) => {
    const path = req.url ?? '/'
    // A case asks whether the site has heard a request it cannot await itself (a beacon): 204 once it has, 408 after 5 s. Not logged.
    if (path.startsWith('/logged?')) {
      const request = new URL(path, 'http://site').searchParams.get('request') ?? ''
      const until = Date.now() + 5_000
      const answer = () => (log.includes(request) ? res.writeHead(204).end() : Date.now() > until ? res.writeHead(408).end() : setTimeout(answer, 10))
      return answer()
    }
    if (path === '/json') {
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(JSON.stringify({ hello: 'world' }))
    }
    if (path === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
      for (const word of ['one', 'two', 'three']) res.write(`data: ${word}\n\n`)
      return res.end()
    }
    if (scripts[path]) {
      res.writeHead(200, { 'content-type': 'text/javascript' })
      return res.end(scripts[path])
    }
    if (path === '/submit' && req.method === 'POST') {
      let body = ''
      req.on('data', (chunk) => (body += chunk))
      return req.on('end', () => {
        res.writeHead(303, { location: `/thanks?${body}` })
        res.end()
      })
    }
    if (path.startsWith('/thanks')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      return res.end(`<!doctype html><title>Thanks</title><p>Received ${new URL(path, 'http://site').search}</p>`)
    }
    if (path.startsWith('/api/')) {
      // Sentry's envelopes: taken, and answered as Sentry does.
      req.resume()
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
      return res.end('{}')
    }
    if (path === '/beacon') {
      req.resume()
      res.writeHead(204)
      return res.end()
    }
    // A page of many parts, as a news site is: 10 style sheets and 30 scripts in its head, 20 images in its body, none cached.
    if (path.startsWith('/many-parts')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      const load = encodeURIComponent(path)
      const head = [...Array(10).keys()].map((i) => `<link rel="stylesheet" href="/part/${i}.css?${load}">`).join('') + [...Array(30).keys()].map((i) => `<script src="/part/${i}.js?${load}"></script>`).join('')
      const body = [...Array(20).keys()].map((i) => `<img alt="" src="/part/${i}.png?${load}">`).join('')
      return res.end(`<!doctype html><html><head><title>Many parts</title>${head}</head><body>${body}</body></html>`)
    }
    if (path.startsWith('/part/')) {
      const [type, body] = path.includes('.css') ? ['text/css', 'body { margin: 0 }'] : path.includes('.js') ? ['text/javascript', 'window.parts = (window.parts ?? 0) + 1'] : ['image/png', onePixelPng]
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' })
      return res.end(body)
    }
    if (path === '/socket-at-start') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      return res.end(socketAtStartPage)
    }
    if (path === '/early-socket') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      return res.end(earlySocketPage)
    }
    if (path === '/blank') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      return res.end(`<!doctype html><html><head><title>No payment here</title><script>${hearWindowMessages}; ${hearWindowErrors}</script></head><body><h1>Nothing is paid here</h1></body></html>`)
    }
    res.writeHead(404, { 'content-type': 'text/plain' })
    res.end('not found')
  })
  const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: true })
  // socket.io answers its own paths ahead of the handler above; the log comes first of all.
  const socketIo = new SocketIoServer(server)
  socketIo.on('connection', (client) => client.on('echo', (message: unknown, answer: (echoed: unknown) => void) => answer(message)))
  server.prependListener('request', (req) => {
    // The browser's own favicon fetch comes when it likes, with or without Drip: not the page's request.
    if (req.url !== '/favicon.ico' && !req.url?.startsWith('/logged?')) log.push(`${req.method} ${logged(req.url ?? '/')}`)
  })
  server.prependListener('upgrade', (req) => log.push(`UPGRADE ${logged(req.url ?? '/')}`))
  server.on('upgrade', (req, socket, head) => {
    if (req.url?.startsWith('/socket.io/')) return // socket.io upgrades its own
    if (req.url !== '/echo') return socket.destroy()
    sockets.handleUpgrade(req, socket, head, (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    log: () => [...log],
    clearLog: () => void (log = []),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate()
        socketIo.disconnectSockets(true)
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
