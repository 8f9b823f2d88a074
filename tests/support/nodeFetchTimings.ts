/**
 * Times the requests of mppx's Node client, for the benchmarks: its fetch
 * (`Mppx.create`, its session manager) and viem's HTTP transport (`fetchFn`)
 * are given `recordingFetch`, so the same split Drip's worker gets from the
 * browser's network timings (the site's 402, the chain's fill, the paid
 * request) is taken for mppx. Nothing global is replaced.
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

/** A `fetch` that records every request it makes in `fetches`, in the order their heads came back. */
export function recordingFetch(own: typeof globalThis.fetch = globalThis.fetch): { fetch: typeof globalThis.fetch; fetches: NodeFetch[] } {
  const fetches: NodeFetch[] = []
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init)
    const body = typeof init?.body === 'string' ? init.body : ''
    const rpc = [...body.matchAll(/"method":"([^"]+)"/g)].map((match) => match[1]!)
    const start = performance.now()
    const response = await own(input, init)
    fetches.push({ url: new URL(request.url), method: request.method, rpc, status: response.status, start, head: performance.now() })
    return response
  }
  return { fetch, fetches }
}

/** How long a request took to its head, ms. */
export const toHead = (fetch: NodeFetch) => fetch.head - fetch.start
