/**
 * Times the requests Node makes while a run goes on, for the benchmarks:
 * mppx's client (its fetch polyfill and its session manager) and viem's
 * HTTP transport both call the global `fetch`, so the same split Drip's
 * worker gets from the browser's network timings (the site's 402, the
 * chain's fill, the paid request) is taken here for mppx's Node client.
 */
import { performance } from 'node:perf_hooks'

export type NodeFetch = {
  url: URL
  method: string
  /** The JSON-RPC methods a chain call asks for (empty for any other request). */
  rpc: string[]
  status: number
  /** When `fetch` was called and when its head came back (performance.now, ms). */
  start: number
  head: number
}

/**
 * Runs `run` with the global `fetch` timed, and gives back what it returned
 * and every request it made. Install it before anything that keeps the
 * global `fetch` it finds (mppx's polyfill does).
 */
export async function withNodeFetchesTimed<T>(run: () => Promise<T>): Promise<{ result: T; fetches: NodeFetch[] }> {
  const own = globalThis.fetch
  const fetches: NodeFetch[] = []
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init)
    const body = typeof init?.body === 'string' ? init.body : ''
    const rpc = [...body.matchAll(/"method":"([^"]+)"/g)].map((match) => match[1]!)
    const start = performance.now()
    const response = await own(input, init)
    fetches.push({ url: new URL(request.url), method: request.method, rpc, status: response.status, start, head: performance.now() })
    return response
  }
  try {
    return { result: await run(), fetches }
  } finally {
    globalThis.fetch = own
  }
}

/** How long a request took to its head, ms. */
export const toHead = (fetch: NodeFetch) => fetch.head - fetch.start
