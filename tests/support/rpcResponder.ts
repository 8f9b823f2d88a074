/**
 * A minimal JSON-RPC server that answers `eth_chainId` and `eth_blockNumber`
 * (single and batched), for tests that need a live RPC before the devnet.
 * Every `eth_blockNumber` call mines one block, so a poller sees it advance.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export type RpcResponder = {
  url: string
  /** Latest block number the responder has reported. */
  blockNumber(): number
  /** Stops answering (requests hang) to simulate a stalled RPC. */
  stall(stalled: boolean): void
  close(): Promise<void>
}

type JsonRpcRequest = { jsonrpc: '2.0'; id: number | string | null; method: string; params?: unknown[] }

export async function startRpcResponder(options: { chainId: number; port?: number }): Promise<RpcResponder> {
  let block = 0
  let stalled = false

  function answer(request: JsonRpcRequest) {
    const base = { jsonrpc: '2.0' as const, id: request.id }
    if (request.method === 'eth_chainId') return { ...base, result: `0x${options.chainId.toString(16)}` }
    if (request.method === 'eth_blockNumber') return { ...base, result: `0x${(++block).toString(16)}` }
    return { ...base, error: { code: -32601, message: `Method not found: ${request.method}` } }
  }

  const server: Server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*')
    res.setHeader('access-control-allow-headers', 'content-type')
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      if (stalled) return
      let payload: JsonRpcRequest | JsonRpcRequest[]
      try {
        payload = JSON.parse(body)
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' })
        return void res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }))
      }
      const result = Array.isArray(payload) ? payload.map(answer) : answer(payload)
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result))
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    blockNumber: () => block,
    stall: (value) => void (stalled = value),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A port nothing listens on: bind, read the port, close. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}
