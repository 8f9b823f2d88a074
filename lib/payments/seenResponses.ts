/**
 * What the browser answered each tab's recent requests, seen through
 * non-blocking `webRequest` (status codes only, for a minute, bounded): so
 * a page-world `EventSource` or `WebSocket` that failed before opening can
 * ask whether that was a 402 without Drip fetching the URL again. Its own
 * status is something the page cannot read from those objects; the answer
 * is given only as "a payment the page may act on" (`paymentSeen`).
 */
import { corsAllows } from '@/lib/shared/cors'
import type { Observed402 } from './observedChallenges'

export const keepMs = 60_000
export const maxSeen = 500
/** How long a question waits for the browser's report of a request it has not seen yet. */
export const waitMs = 3_000

/** One request as `webRequest` reports it; `requestId` ties its error to its headers. */
export type SeenRequest = { tabId: number; url: string; requestId: string }

export class SeenResponses {
  private readonly statuses = new Map<string, { status: number; at: number; requestId: string }>()
  private readonly waiters = new Map<string, Set<() => void>>()

  constructor(private readonly now: () => number = Date.now) {}

  /** From `webRequest.onHeadersReceived`. */
  record(details: SeenRequest & { statusCode: number }) {
    this.note(details, details.statusCode)
  }

  /**
   * From `webRequest.onErrorOccurred`: the request got no answer (status 0). A request whose headers came
   * keeps their status: the browser fails an `EventSource` whose answer is not a 200 before its body has
   * arrived, and that 402 is still the page's to pay.
   */
  failed(details: SeenRequest) {
    if (this.statuses.get(keyOf(details.tabId, details.url))?.requestId === details.requestId) return
    this.note(details, 0)
  }

  /** The status this tab's latest request to `url` got in the last minute, waiting up to `waitMs` for one not yet reported. */
  async status(tabId: number, url: string, wait = waitMs): Promise<number | undefined> {
    const known = this.latest(tabId, url)
    if (known !== undefined || wait <= 0) return known
    const key = keyOf(tabId, url)
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.waiters.get(key)?.delete(done)
        resolve()
      }
      const timer = setTimeout(done, wait)
      const set = this.waiters.get(key) ?? new Set()
      set.add(done)
      this.waiters.set(key, set)
    })
    return this.latest(tabId, url)
  }

  private latest(tabId: number, url: string): number | undefined {
    const seen = this.statuses.get(keyOf(tabId, url))
    return seen && this.now() - seen.at < keepMs ? seen.status : undefined
  }

  private note({ tabId, url, requestId }: SeenRequest, status: number) {
    if (tabId < 0) return
    const key = keyOf(tabId, url)
    this.statuses.delete(key)
    this.statuses.set(key, { status, at: this.now(), requestId })
    if (this.statuses.size > maxSeen) this.statuses.delete(this.statuses.keys().next().value!)
    for (const wake of [...(this.waiters.get(key) ?? [])]) wake()
    this.waiters.delete(key)
  }
}

function keyOf(tabId: number, url: string) {
  return `${tabId} ${url}`
}

/**
 * The challenge of a 402 a page's stream or socket got, if the page may act
 * on it: the browser saw it for this tab, and it is the page's own origin's,
 * or its CORS let the page read it (as `fetch` would). Anything else: null.
 */
export function paymentSeen(status: number | undefined, seen: Observed402 | undefined, pageOrigin: string, resourceOrigin: string): string | null {
  if (status !== 402 || !seen) return null
  if (resourceOrigin === pageOrigin) return seen.wwwAuthenticate
  // An EventSource without withCredentials, or a socket's probe: no credentials, as the browser would check it.
  return corsAllows(seen, pageOrigin, 'same-origin') ? seen.wwwAuthenticate : null
}
