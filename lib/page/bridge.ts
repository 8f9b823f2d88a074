/**
 * Runs in the page's own (MAIN) world, where the page can read and change
 * everything: it knows nothing secret and decides nothing.
 *
 * The page's side of payments: the page's own `fetch`, wrapped so that a 402
 * is handed over to Drip (`handOver.ts`) and the page just sees the paid
 * response. The isolated script accepts hand-overs only from its own
 * window; the background takes the origin from the browser, not from here.
 */
import { describe, type HandOver } from './handOver'

/**
 * Wraps `fetch` so 402s are paid: the page's own request is sent as it is;
 * when it answers 402, the same request (method, headers, body, credentials,
 * abort signal) is handed over to Drip (`handOver.ts`), which pays and makes
 * it, and the page gets the paid response, streaming. When Drip does not pay
 * (not approved, locked, refused) the page gets the site's original 402.
 */
export function wrapFetch(original: typeof fetch, handOver: HandOver): typeof fetch {
  return async function fetchWithDrip(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init)
    const spare = request.clone()
    const response = await original(request)
    if (response.status !== 402) return response
    let paid: Response | undefined
    try {
      paid = await handOver(await describe(spare, response.url || request.url, response.headers.get('www-authenticate')), request.signal)
    } catch (error) {
      if (request.signal.aborted) throw error
      return response
    }
    if (!paid) return response
    await response.body?.cancel().catch(() => undefined)
    return paid
  }
}
