/** Runs the demo app on node:http. */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createDemoApp, type DemoOptions } from './app'

export type StartDemoOptions = DemoOptions & { port?: number; host?: string }

export async function startDemo(options: StartDemoOptions) {
  const demo = createDemoApp(options)
  const host = options.host ?? '127.0.0.1'
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: demo.app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(started))
    started.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  return {
    ...demo,
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    async close() {
      ;(server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
