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
import { withoutOwnFrames } from './ownFrames'
import { printsAs } from './sourceText'
import type { PaidUrls } from './paidUrls'
import { stepMark } from '@/lib/shared/stepMarks'

/**
 * Wraps `fetch` so 402s are paid: the browser's own `fetch` behind a Proxy,
 * so the page sees the same function (name, length, `this` checks, errors)
 * and the browser gets the page's own arguments, untouched. Only when the
 * answer is a 402 is the same request (method, headers, body, credentials,
 * abort signal) handed over to Drip (`handOver.ts`), which pays and makes
 * it, and the page gets the paid response, streaming. When Drip does not
 * pay (not approved, locked, refused) the page gets the site's original 402.
 */
export function wrapFetch(native: typeof fetch, handOver: HandOver, paidUrls?: PaidUrls): typeof fetch {
  const wrapped = new Proxy(native, {
    apply: (target, thisArg, args: Parameters<typeof fetch>) => fetchPaying(target, thisArg, args, handOver, paidUrls),
  })
  // A Proxy prints as "function () { [native code] }": the page reads the browser's own text for its `fetch`.
  printsAs(wrapped, native)
  return wrapped
}

/**
 * The page's fetch: the browser's own, called in the page's own call (a network error then carries the page's own
 * stack, less Drip's frames, as without Drip), paid only if the site answers 402; a GET of a URL this document had
 * paid goes to Drip first (`payDirectly`).
 */
function fetchPaying(native: typeof fetch, thisArg: unknown, args: Parameters<typeof fetch>, handOver: HandOver, paidUrls?: PaidUrls): Promise<Response> {
  const [input, init] = args
  const nativeFetch = () => browserFetch(native, thisArg, args)
  // Every fetch of every page passes here: nothing is built unless a kept URL matches.
  const challenge = paidUrls?.challengeForFetch(input, init)
  if (paidUrls && challenge)
    return payDirectly(input, init, challenge, handOver, paidUrls).then((direct) => (direct === 'unpaid' ? nativeFetch() : (direct ?? fetchUnlessPaid(nativeFetch, input, init, handOver, paidUrls))))
  return fetchUnlessPaid(nativeFetch, input, init, handOver, paidUrls)
}

/** The browser's fetch; what it rejects with reaches the page without Drip's frames. */
function browserFetch(native: typeof fetch, thisArg: unknown, args: Parameters<typeof fetch>): Promise<Response> {
  let sent: Promise<Response>
  try {
    sent = Reflect.apply(native, thisArg, args)
  } catch (error) {
    return Promise.reject(withoutOwnFrames(error))
  }
  return sent.catch((error: unknown) => Promise.reject(withoutOwnFrames(error)))
}

async function fetchUnlessPaid(nativeFetch: () => Promise<Response>, input: RequestInfo | URL, init: RequestInit | undefined, handOver: HandOver, paidUrls?: PaidUrls): Promise<Response> {
  // A Request with a body is read by the browser: keep a copy to hand over. Other bodies (text, bytes, forms) are read again from `init`.
  const spare = input instanceof Request && input.body !== null && !input.bodyUsed ? input.clone() : undefined
  const response = await nativeFetch()
  if (response.status !== 402) return response
  stepMark("page: the site's 402")
  let request: Request
  try {
    request = spare ? new Request(spare, init) : new Request(input, init)
  } catch {
    // A streamed body cannot be sent twice: the page keeps the site's 402.
    return response
  }
  let described: Awaited<ReturnType<typeof describe>>
  try {
    described = await describe(request, response.url || request.url, response.headers.get('www-authenticate'))
  } catch {
    return response
  }
  let paid: Response | undefined
  try {
    stepMark('page: handed over')
    paid = await handOver(described, request.signal)
    stepMark('page: paid answer')
  } catch (error) {
    // The page aborted, or the site's CORS would not let the page read the paid answer (the browser's network error).
    if (request.signal.aborted || error instanceof TypeError) throw error
    return response
  }
  if (!paid) return response
  if (paid.ok) paidUrls?.remember(request.url, request.method, described.wwwAuthenticate)
  await response.body?.cancel().catch(() => undefined)
  return paid
}

/**
 * A GET of a URL this tab had paid goes straight to Drip with `challenge`, the one kept for it (`paidUrls.ts`):
 * the site's answer to the paid request; `unpaid` when Drip did not pay it (refused, locked), and the page then gets
 * the site's own answer, not handed over again (Drip already said no, once); undefined to go the usual way, also when
 * the site still said 402 to Drip's paid request (the kept challenge's terms are no longer the site's, say a new
 * price): the page then asks the site, and hands its current challenge over as any 402.
 */
async function payDirectly(input: RequestInfo | URL, init: RequestInit | undefined, challenge: string, handOver: HandOver, paidUrls: PaidUrls): Promise<Response | 'unpaid' | undefined> {
  let request: Request
  try {
    request = new Request(input, init)
  } catch {
    return undefined
  }
  let paid: Response | undefined
  try {
    const described = await describe(request, request.url, challenge)
    stepMark('page: handed over')
    paid = await handOver(described, request.signal)
    stepMark('page: paid answer')
  } catch (error) {
    if (request.signal.aborted || error instanceof TypeError) throw error
  }
  // Whatever the site answered a paid request is the page's answer (a 500 after payment too), except a 402.
  if (paid && paid.status !== 402) return paid
  paidUrls.forget(request.url)
  if (!paid) return 'unpaid'
  await paid.body?.cancel().catch(() => undefined)
  return undefined
}
