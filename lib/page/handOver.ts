/**
 * Runs in the page's own (MAIN) world. Hands a request that answered 402
 * over to Drip: the isolated content script gets one end of a
 * `MessageChannel`, the background pays and makes the request, and the
 * response comes back as a real `Response` whose body streams as the bytes
 * arrive. The page never holds the credential and decides nothing.
 */
import { type AnswerHead, type PageRequestCommand, type PaidRequest, pageRequestTag, type RequestReport } from '@/lib/protocol/requestPort'


/** The paid response, or undefined when Drip did not pay (the page keeps the site's 402). */
export type HandOver = (request: PaidRequest, signal?: AbortSignal | null) => Promise<Response | undefined>

/** Statuses whose responses cannot have a body. */
const nullBodyStatuses = new Set([101, 103, 204, 205, 304])

export function createHandOver(target: Window): HandOver {
  return (request, signal) =>
    new Promise<Response | undefined>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const channel = new MessageChannel()
      const port = channel.port1
      const close = () => {
        signal?.removeEventListener('abort', onAbort)
        port.close()
      }
      const abort = () => {
        port.postMessage({ type: 'abort' } satisfies PageRequestCommand)
        close()
      }
      const response = assembleResponse(resolve, abort, reject)
      const onAbort = () => {
        abort()
        if (!response.settled) reject(signal!.reason)
        else response.fail(signal!.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      port.onmessage = (event: MessageEvent<RequestReport>) => {
        if (response.accept(event.data)) close()
      }
      target.postMessage({ drip: pageRequestTag, command: { type: 'start', request } satisfies PageRequestCommand }, target.location.origin, [channel.port2])
    })
}

/**
 * Turns the background's reports into the page's `Response`: `settle` gets
 * it at the head (or undefined when nothing was paid), then its body is fed
 * chunk by chunk; a small answer comes whole. The page cancelling the body
 * calls `onCancel`. An answer the page could not have read (CORS) goes to
 * `fail` as the browser's own network error.
 */
export function assembleResponse(settle: (response: Response | undefined) => void, onCancel: () => void, fail: (error: TypeError) => void) {
  let body: ReadableStreamDefaultController<Uint8Array> | undefined
  let settled = false
  return {
    get settled() {
      return settled
    },
    /** The page gave up: its body read fails with `reason`. */
    fail(reason: unknown) {
      body?.error(reason)
    },
    /** Takes one report; true when it was the last. */
    accept(report: RequestReport): boolean {
      if (report.type === 'unpaid') {
        settled = true
        settle(undefined)
        return true
      }
      if (report.type === 'head') {
        settled = true
        const stream = new ReadableStream<Uint8Array>({ start: (controller) => void (body = controller), cancel: onCancel })
        settle(responseOf(report, stream))
        return false
      }
      if (report.type === 'whole') {
        settled = true
        settle(responseOf(report, report.bytes))
        return true
      }
      if (report.type === 'body') {
        body?.enqueue(report.bytes)
        return false
      }
      if (report.type === 'failed' && !settled) {
        settled = true
        fail(new TypeError('Failed to fetch'))
        return true
      }
      if (report.type === 'end') body?.close()
      else if (settled) body?.error(new TypeError(report.message))
      else {
        settled = true
        settle(undefined)
      }
      return true
    },
  }
}

/** The page's `Response` for a paid answer's head, with `body` unless its status has none. */
function responseOf(head: AnswerHead, body: BodyInit): Response {
  const response = new Response(nullBodyStatuses.has(head.status) ? null : body, { status: head.status, statusText: head.statusText, headers: head.headers })
  // A constructed Response has an empty url; the page's code may read it.
  Object.defineProperty(response, 'url', { value: head.url })
  return response
}

/** The page's request as Drip needs it: its body read once, as bytes. */
export async function describe(request: Request, url: string, wwwAuthenticate: string | null): Promise<PaidRequest> {
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null
  return {
    url,
    method: request.method,
    headers: [...request.headers],
    body: hasBody ? new Uint8Array(await request.arrayBuffer()) : null,
    credentials: request.credentials,
    wwwAuthenticate,
  }
}
