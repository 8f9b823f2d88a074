/**
 * Runs in the page's own (MAIN) world. What Drip's page-world script keeps
 * for the tab across the site's pages (`paidUrls.ts`), in the page's own
 * `sessionStorage`, under one key: the browser keeps it per tab and site,
 * across reloads and the site's links, and drops it with the tab. It is
 * the only store a page can read before its first script runs; Drip's
 * worker answers a new page's hello after the page's scripts have started
 * (answered 41–62 ms after navigation start, in a scratch timeline of 4
 * loads; the demo article's request for its text left at 20–50 ms).
 *
 * Used only on a site that pays (the reader approved it, or it waits for
 * the reader: `inUse`); on every other site the page's storage is never
 * touched. The page can read and change what is there: nothing in it is
 * secret (its site's own challenges) or trusted (Drip's worker checks every
 * hand-over). A page whose storage is unavailable (a sandboxed frame) keeps
 * nothing across pages.
 */
export const tabMemoryKey = 'drip:paid-urls'

export type TabMemory = {
  /** True while Drip may use the page's storage: the site pays. */
  inUse(): boolean
  read(): unknown
  write(value: unknown): void
  /** Removes what Drip kept: the site no longer pays (the reader revoked it while its page was open). */
  clear(): void
}

export function tabMemory(target: Window & typeof globalThis, inUse: () => boolean): TabMemory {
  // Taken before the page's scripts run: a page that wraps its storage later does not see Drip's calls.
  const { getItem, setItem, removeItem } = target.Storage.prototype
  const storage = (): Storage | undefined => {
    try {
      return target.sessionStorage
    } catch {
      return undefined
    }
  }
  return {
    inUse,
    read() {
      try {
        const text = Reflect.apply(getItem, storage(), [tabMemoryKey]) as string | null
        return text === null ? undefined : JSON.parse(text)
      } catch {
        return undefined
      }
    },
    write(value) {
      if (!inUse()) return
      try {
        Reflect.apply(setItem, storage(), [tabMemoryKey, JSON.stringify(value)])
      } catch {
        // Full or unavailable: the next page asks the site first.
      }
    },
    clear() {
      try {
        Reflect.apply(removeItem, storage(), [tabMemoryKey])
      } catch {
        // Unavailable: nothing was kept.
      }
    },
  }
}
