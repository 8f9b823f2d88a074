/** Serves the devnet's JSON-RPC over HTTP: single and batched requests, CORS for extension pages. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { RpcError } from './rpc'

type JsonRpcRequest = { jsonrpc?: string; id?: unknown; method?: unknown; params?: unknown }
type Methods = Record<string, (params: unknown[]) => unknown>

const maxBodyBytes = 5 * 1024 * 1024

export function createRpcServer(methods: Methods, options: { onError?: (error: unknown) => void } = {}): Server {
  async function answer(request: JsonRpcRequest) {
    const id = request?.id ?? null
    if (!request || typeof request.method !== 'string')
      return { jsonrpc: '2.0', id, error: { code: -32600, message: 'Invalid request: expected {"method": …}.' } }
    const method = methods[request.method]
    if (!method) return { jsonrpc: '2.0', id, error: { code: -32601, message: `Method not found: ${request.method}` } }
    try {
      const params = Array.isArray(request.params) ? request.params : request.params === undefined ? [] : [request.params]
      return { jsonrpc: '2.0', id, result: await method(params) }
    } catch (error) {
      if (error instanceof RpcError)
        return { jsonrpc: '2.0', id, error: { code: error.code, message: error.message, ...(error.data !== undefined ? { data: error.data } : {}) } }
      options.onError?.(error)
      return { jsonrpc: '2.0', id, error: { code: -32603, message: `Internal error: ${(error as Error).message}` } }
    }
  }

  return createServer(async (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('access-control-allow-origin', '*')
    res.setHeader('access-control-allow-headers', 'content-type')
    res.setHeader('access-control-allow-methods', 'POST, OPTIONS')
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST, OPTIONS' }).end('JSON-RPC needs POST')
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      if (size > maxBodyBytes) return void res.writeHead(413).end('Request too large')
      chunks.push(chunk as Buffer)
    }
    let payload: JsonRpcRequest | JsonRpcRequest[]
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    } catch {
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }))
    }
    const body = Array.isArray(payload) ? await Promise.all(payload.map(answer)) : await answer(payload)
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  })
}
