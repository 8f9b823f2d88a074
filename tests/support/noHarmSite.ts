/**
 * A site that never asks for payment, for the no-harm suite: JSON, a small
 * event stream, a WebSocket echo (with permessage-deflate, as real servers
 * negotiate it), a beacon endpoint and 404s. It logs every request it
 * receives (method, path, WebSocket upgrades), so a test can compare what a
 * page's server sees with and without Drip.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'

export type NoHarmSite = {
  origin: string
  /** Requests received since the last `clearLog`, in order: "GET /json", "UPGRADE /echo". */
  log(): string[]
  clearLog(): void
  close(): Promise<void>
}

/** axios as pages load it (its browser build), from the project's own dependency: no network. */
const axiosSource = readFileSync(join(dirname(createRequire(import.meta.url).resolve('axios/package.json')), 'dist/axios.min.js'), 'utf8')

export async function startNoHarmSite(): Promise<NoHarmSite> {
  let log: string[] = []
  const server = createServer((req, res) => {
    const path = req.url ?? '/'
    // The browser's own favicon fetch comes when it likes, with or without Drip: not the page's request.
    if (path !== '/favicon.ico') log.push(`${req.method} ${path}`)
    if (path === '/json') {
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(JSON.stringify({ hello: 'world' }))
    }
    if (path === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
      for (const word of ['one', 'two', 'three']) res.write(`data: ${word}\n\n`)
      return res.end()
    }
    if (path === '/axios.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' })
      return res.end(axiosSource)
    }
    if (path === '/beacon') {
      req.resume()
      res.writeHead(204)
      return res.end()
    }
    if (path === '/blank') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      return res.end('<!doctype html><html><head><title>No payment here</title></head><body><h1>Nothing is paid here</h1></body></html>')
    }
    res.writeHead(404, { 'content-type': 'text/plain' })
    res.end('not found')
  })
  const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: true })
  server.on('upgrade', (req, socket, head) => {
    log.push(`UPGRADE ${req.url}`)
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
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
