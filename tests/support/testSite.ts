/** A plain localhost site for content-script tests: every path serves a small HTML page; `/declared` declares a (free, missing) stream. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export async function startTestSite() {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    const declared = req.url === '/declared' ? '<div id="declared" data-mpp-stream="/no-such-stream">fallback</div>' : ''
    res.end(`<!doctype html><html><head><title>Test page</title></head><body><h1>${req.url}</h1>${declared}</body></html>`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
