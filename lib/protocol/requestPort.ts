/**
 * A page's paid request, made by the background: the page world hands the
 * request over (through the isolated content script, on a `MessagePort`
 * and then a `browser.runtime` port), the background pays and fetches it,
 * and the response flows back as a head and body chunks. The credential
 * never enters the page, and what a paid stream costs is counted where the
 * bytes arrive from the network, never in the page.
 *
 * Messages are structured clones (Chrome's `message_serialization`, and
 * Firefox always): bodies travel as bytes, never re-encoded on the way. A
 * small answer travels whole, in one message.
 */
import { isBytes } from './bytes'

export const requestPortName = 'drip:request'

/** The window message that hands a `MessagePort` for one request from the page world to the content script. */
export const pageRequestTag = 'drip:paid-request'

export type PaidRequest = {
  url: string
  method: string
  /** The page's request headers. Drip sets `authorization` itself and drops the page's. */
  headers: [string, string][]
  /** The request body, or null. */
  body: Uint8Array<ArrayBuffer> | null
  credentials: RequestCredentials
  /** The 402's challenge as the page saw it, or null when CORS hid the header. */
  wwwAuthenticate: string | null
  /** An image, video or audio the page could not load: paid only for a 402 the browser saw. */
  media?: boolean
}

/** Page world → content script, over the `MessagePort` the page hands over with its request. */
export type PageRequestCommand = { type: 'start'; request: PaidRequest } | { type: 'abort' }

/**
 * Content script → background. `retry`: the same request again because Chrome ended the worker before the
 * answer began (a kept answer may be handed over). `received`: the page has the whole response.
 */
export type RequestCommand = { type: 'start'; request: PaidRequest; retry?: boolean } | { type: 'keepalive' } | { type: 'received' }

/** The status line, headers and final URL of a paid answer, as the page may read them. */
export type AnswerHead = { status: number; statusText: string; headers: [string, string][]; url: string }

/** Background → content script → page world. */
export type RequestReport =
  /** Nothing was paid; the page gets the site's original 402. */
  | { type: 'unpaid'; outcome: 'pending' | 'refused' | 'locked'; message: string }
  /** The site waits for the reader's approval; the request carries on once it comes (for the page notice; the page never sees it). */
  | { type: 'waiting'; message: string }
  | ({ type: 'head' } & AnswerHead)
  /** Body bytes. A paid event stream arrives re-serialized, without the site's payment events. */
  | { type: 'body'; bytes: Uint8Array<ArrayBuffer> }
  | { type: 'end' }
  /** A small answer in one message: its head, its whole body and its end. */
  | ({ type: 'whole'; bytes: Uint8Array<ArrayBuffer> } & AnswerHead)
  /** The response broke off after its head: the page's body read fails with this message. */
  | { type: 'error'; message: string }
  /** The browser would not have let the page read the answer (CORS): the page's request fails as a network error. */
  | { type: 'failed'; message: string }

/** Bounds on what a page may hand over for one request. */
export const requestLimits = { urlChars: 4096, headers: 64, headerChars: 8192, bodyBytes: 1024 * 1024 } as const

export function isPaidRequest(value: unknown): value is PaidRequest {
  const candidate = value as PaidRequest
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.url === 'string' &&
    typeof candidate.method === 'string' &&
    Array.isArray(candidate.headers) &&
    candidate.headers.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string') &&
    (candidate.body === null || isBytes(candidate.body)) &&
    (candidate.wwwAuthenticate === null || typeof candidate.wwwAuthenticate === 'string')
  )
}
