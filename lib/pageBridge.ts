/**
 * The page's side of payments. A MAIN-world script wraps the page's `fetch`:
 * on a 402 it asks Drip (through the isolated content script, over
 * `window.postMessage`) for a credential and retries with it, so the page
 * just sees its 200. The isolated script accepts requests only from its own
 * window; the background takes the origin from the browser, not from here.
 */
import type { Outcome, PageRequest } from './payments'

export const requestTag = 'drip:payment-request'
export const responseTag = 'drip:payment-response'
export const receiptTag = 'drip:payment-receipt'

export type BridgeRequest = { drip: typeof requestTag; id: string; request: PageRequest }
export type BridgeResponse = { drip: typeof responseTag; id: string; outcome: Outcome }
/** The site's `Payment-Receipt` for a paid request, so the ledger records what the site accepted. */
export type BridgeReceipt = { drip: typeof receiptTag; url: string; receipt: string }

export function isBridgeRequest(data: unknown): data is BridgeRequest {
  const candidate = data as BridgeRequest
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.drip === requestTag &&
    typeof candidate.id === 'string' &&
    typeof candidate.request?.url === 'string' &&
    typeof candidate.request?.method === 'string'
  )
}

export function isBridgeResponse(data: unknown): data is BridgeResponse {
  const candidate = data as BridgeResponse
  return typeof candidate === 'object' && candidate !== null && candidate.drip === responseTag && typeof candidate.id === 'string'
}

/**
 * Wraps `fetch` so 402s are paid and retried. Requests are cloned before the
 * first attempt so their bodies can be sent again; anything but a paid
 * outcome returns the original 402 untouched.
 */
export function wrapFetch(
  original: typeof fetch,
  askDrip: (request: PageRequest) => Promise<Outcome>,
  reportReceipt: (url: string, receipt: string) => void = () => {},
): typeof fetch {
  return async function fetchWithDrip(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init)
    const spare = request.clone()
    const response = await original(request)
    if (response.status !== 402) return response
    let outcome: Outcome
    try {
      outcome = await askDrip({
        url: response.url || request.url,
        method: request.method,
        wwwAuthenticate: response.headers.get('www-authenticate'),
      })
    } catch {
      return response
    }
    if (outcome.outcome !== 'paid') return response
    const headers = new Headers(spare.headers)
    headers.set('authorization', outcome.authorization)
    const paid = await original(new Request(spare, { headers }))
    const receipt = paid.headers.get('payment-receipt')
    if (receipt) reportReceipt(paid.url || request.url, receipt)
    return paid
  }
}

/** The MAIN-world half of receipt reporting: fire and forget. */
export function createReceiptReporter(target: Window): (url: string, receipt: string) => void {
  return (url, receipt) => target.postMessage({ drip: receiptTag, url, receipt } satisfies BridgeReceipt, target.location.origin)
}

/** The MAIN-world half: posts a request to the isolated script and waits for its answer. */
export function createAsker(target: Window, timeoutMs = 120_000): (request: PageRequest) => Promise<Outcome> {
  let counter = 0
  const waiting = new Map<string, (outcome: Outcome) => void>()
  target.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== target || !isBridgeResponse(event.data)) return
    waiting.get(event.data.id)?.(event.data.outcome)
    waiting.delete(event.data.id)
  })
  return (request) =>
    new Promise<Outcome>((resolve) => {
      const id = `${Date.now()}-${++counter}-${Math.random().toString(36).slice(2)}`
      const timer = setTimeout(() => {
        waiting.delete(id)
        resolve({ outcome: 'refused', message: 'Drip did not answer in time.' })
      }, timeoutMs)
      waiting.set(id, (outcome) => {
        clearTimeout(timer)
        resolve(outcome)
      })
      target.postMessage({ drip: requestTag, id, request } satisfies BridgeRequest, target.location.origin)
    })
}

/** The isolated half: relays requests from its own window to the background and posts the outcome back. */
export function relay(target: Window, pay: (request: PageRequest) => Promise<Outcome>, recordReceipt: (url: string, receipt: string) => Promise<unknown> = async () => {}) {
  target.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== target) return
    const data = event.data as BridgeReceipt
    if (data?.drip === receiptTag && typeof data.url === 'string' && typeof data.receipt === 'string') {
      void recordReceipt(data.url, data.receipt).catch(() => undefined)
      return
    }
    if (!isBridgeRequest(event.data)) return
    const { id, request } = event.data
    void pay({ url: request.url, method: request.method, wwwAuthenticate: request.wwwAuthenticate ?? null })
      .catch((error: Error): Outcome => ({ outcome: 'refused', message: error.message }))
      .then((outcome) => target.postMessage({ drip: responseTag, id, outcome } satisfies BridgeResponse, target.location.origin))
  })
}
