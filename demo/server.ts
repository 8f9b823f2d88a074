/** Runs the demo app on node:http, with the live ticker's WebSocket sessions on the same port. */
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { WebSocketServer } from 'ws'
import { createDemoApp, type DemoOptions } from './app'

/** `tls`: serve https (and `wss:`) with this key and certificate (tests of a site as readers meet most: over TLS). */
export type StartDemoOptions = DemoOptions & { port?: number; host?: string; tls?: { key: string; cert: string } }

/** The only path that upgrades to a WebSocket. */
export const tickerPath = '/api/sessions/ticker'

export async function startDemo(options: StartDemoOptions) {
  const demo = createDemoApp(options)
  const host = options.host ?? '127.0.0.1'
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve(
      { fetch: demo.app.fetch, port: options.port ?? 0, hostname: host, ...(options.tls && { createServer: createHttpsServer, serverOptions: options.tls }) },
      () => resolve(started),
    )
    started.once('error', reject)
  })
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', `${options.tls ? 'wss' : 'ws'}://${request.headers.host ?? 'localhost'}`)
    if (url.pathname !== tickerPath) return socket.destroy()
    sockets.handleUpgrade(request, socket, head, (ws) => void demo.serveTicker(ws, url).catch(() => ws.close(1011)))
  })
  const { port } = server.address() as AddressInfo
  return {
    ...demo,
    origin: `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    /** How many ticker sockets the site holds open now. */
    openSockets: () => sockets.clients.size,
    async close() {
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      ;(server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
