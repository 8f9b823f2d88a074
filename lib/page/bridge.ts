/**
 * Runs in the page's own (MAIN) world, where the page can read and change
 * everything: it knows nothing secret and decides nothing.
 *
 * The page's side of payments. A MAIN-world script wraps the page's `fetch`:
 * on a 402 it asks Drip (through the isolated content script, over
 * `window.postMessage`) for a credential and retries with it, so the page
 * just sees its 200. The isolated script accepts requests only from its own
 * window; the background takes the origin from the browser, not from here.
 */
import {
  type BridgeDelivery,
  type BridgeReceipt,
  type BridgeRequest,
  deliveryTag,
  isBridgeResponse,
  type Outcome,
  type PageRequest,
  receiptTag,
  requestTag,
} from '@/lib/protocol/pageBridge'

/** What the wrapper tells Drip after a paid retry; fire and forget. */
export type Reports = {
  receipt?: (url: string, receipt: string) => void
  delivery?: (authorization: string, status: number) => void
}

/**
 * Wraps `fetch` so 402s are paid and retried. Requests are cloned before the
 * first attempt so their bodies can be sent again; anything but a paid
 * outcome returns the original 402 untouched. A paid retry that the site
 * still answers with 402 is asked about again, up to `maxPaidAttempts`: Drip
 * offers a refused voucher once more (the site may never have taken it),
 * and signs the next unit only when the site refused it again (it held it,
 * and another request on the channel spent it first).
 */
export const maxPaidAttempts = 3

export function wrapFetch(original: typeof fetch, askDrip: (request: PageRequest) => Promise<Outcome>, reports: Reports = {}): typeof fetch {
  return async function fetchWithDrip(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init)
    const spares = Array.from({ length: maxPaidAttempts }, () => request.clone())
    let response = await original(request)
    for (const spare of spares) {
      if (response.status !== 402) return response
      let outcome: Outcome
      try {
        outcome = await askDrip({ url: response.url || request.url, method: request.method, wwwAuthenticate: response.headers.get('www-authenticate') })
      } catch {
        return response
      }
      if (outcome.outcome !== 'paid') return response
      const headers = new Headers(spare.headers)
      headers.set('authorization', outcome.authorization)
      const paid = await original(new Request(spare, { headers }))
      reports.delivery?.(outcome.authorization, paid.status)
      const receipt = paid.headers.get('payment-receipt')
      if (receipt) reports.receipt?.(paid.url || request.url, receipt)
      response = paid
    }
    return response
  }
}

/** The MAIN-world half of delivery reporting: fire and forget. */
export function createDeliveryReporter(target: Window): (authorization: string, status: number) => void {
  return (authorization, status) => target.postMessage({ drip: deliveryTag, authorization, status } satisfies BridgeDelivery, target.location.origin)
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

