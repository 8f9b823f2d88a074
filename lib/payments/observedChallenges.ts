/**
 * The 402s the browser itself received for a tab's requests, with their
 * `WWW-Authenticate` and CORS headers, seen through non-blocking
 * `webRequest`. When a page's script calls another site's paid API, Drip
 * pays only a 402 the browser saw that API send this tab, under CORS that
 * lets the page read it: it proves the 402 happened, even when CORS hides
 * the challenge from the page, and Drip never fetches a page-chosen URL to
 * learn it (no status oracle). In memory only, bounded, for a minute.
 */

export type Observed402 = {
  tabId: number
  url: string
  wwwAuthenticate: string
  /** The 402's CORS answer to the page: whom it lets read it, and whether with credentials. */
  allowOrigin: string | undefined
  allowCredentials: boolean
  at: number
}

export const keepMs = 60_000
export const maxObserved = 200
/** A challenge header longer than this is not kept (nor would it parse). */
export const maxHeaderChars = 16_384

export class ObservedChallenges {
  private readonly seen: Observed402[] = []

  constructor(private readonly now: () => number = Date.now) {}

  /** From `webRequest.onHeadersReceived`: keeps a tab's 402 that carries a Payment challenge. */
  record(details: { tabId: number; url: string; statusCode: number; responseHeaders?: { name: string; value?: string }[] }) {
    if (details.statusCode !== 402 || details.tabId < 0) return
    const read = (name: string) => details.responseHeaders?.find((h) => h.name.toLowerCase() === name)?.value
    const header = read('www-authenticate')
    if (!header || header.length > maxHeaderChars || !/^\s*Payment\b/i.test(header)) return
    this.seen.unshift({
      tabId: details.tabId,
      url: details.url,
      wwwAuthenticate: header,
      allowOrigin: read('access-control-allow-origin'),
      allowCredentials: read('access-control-allow-credentials') === 'true',
      at: this.now(),
    })
    this.seen.splice(maxObserved)
  }

  /** The latest 402 this tab received for this URL, in the last minute. */
  find(tabId: number, url: string): Observed402 | undefined {
    return this.seen.find((seen) => seen.tabId === tabId && seen.url === url && this.now() - seen.at < keepMs)
  }
}

/**
 * The 402 the browser saw this tab get for `url`, asked once the browser has
 * reported that request's status (`SeenResponses.status` waits a few
 * seconds for a report not yet in). The page can hand its request over
 * before the browser's report reaches Drip: in Firefox, 5 of 12 runs of a
 * test of another site's API got it later, and Drip refused to pay.
 */
export async function seenOnceReported(
  statuses: { status(tabId: number, url: string): Promise<number | undefined> },
  challenges: ObservedChallenges,
  tabId: number,
  url: string,
): Promise<Observed402 | undefined> {
  await statuses.status(tabId, url)
  return challenges.find(tabId, url)
}
