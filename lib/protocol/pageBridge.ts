/**
 * The window messages between the page-world wrappers (`lib/page/`) and the
 * isolated relay (`lib/content/`). Nothing that crosses here is trusted by
 * the background for an amount or an origin: the page world can forge any
 * of it, so it only says "this URL answered 402" and carries the answer back.
 */

export type PageRequest = {
  /** The URL the page fetched. */
  url: string
  method: string
  /** The 402's challenge, or null when CORS hid the header from the page. */
  wwwAuthenticate: string | null
}

export type Outcome =
  | { outcome: 'paid'; authorization: string }
  | { outcome: 'pending'; message: string }
  | { outcome: 'refused'; message: string }
  | { outcome: 'locked'; message: string }

export const requestTag = 'drip:payment-request'
export const responseTag = 'drip:payment-response'
export const receiptTag = 'drip:payment-receipt'
export const deliveryTag = 'drip:payment-delivered'

export type BridgeRequest = { drip: typeof requestTag; id: string; request: PageRequest }
export type BridgeResponse = { drip: typeof responseTag; id: string; outcome: Outcome }
/** The site's `Payment-Receipt` for a paid request, so the ledger records what the site accepted. */
export type BridgeReceipt = { drip: typeof receiptTag; url: string; receipt: string }

/**
 * What the site answered to a paid retry, so the background knows whether a
 * signature reached the site: a voucher that never did is offered again
 * instead of a new one on top of it.
 */
export type BridgeDelivery = { drip: typeof deliveryTag; authorization: string; status: number }

export function isBridgeDelivery(data: unknown): data is BridgeDelivery {
  const candidate = data as BridgeDelivery
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.drip === deliveryTag &&
    typeof candidate.authorization === 'string' &&
    Number.isInteger(candidate.status)
  )
}

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

export function isBridgeReceipt(data: unknown): data is BridgeReceipt {
  const candidate = data as BridgeReceipt
  return typeof candidate === 'object' && candidate !== null && candidate.drip === receiptTag && typeof candidate.url === 'string' && typeof candidate.receipt === 'string'
}
