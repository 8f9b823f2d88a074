/**
 * The popup follows what the background stores: a site that starts waiting
 * for the reader, an approval, a channel's spend, a budget, a tab's tally or
 * the lock show at once, instead of at the next poll (every 2 to 4 s, and
 * not at all while the popup's page is hidden). Reads that come from the
 * chain (its status, the balance) keep their poll: a paid stream stores a
 * voucher many times a second, and each would be a question to the RPC.
 * Refreshes come at most once per `refreshEveryMs`, the last change always
 * included.
 */
import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { browser } from 'wxt/browser'
import type { PopupMethod } from '@/lib/protocol/messages'

/** At most one refresh of the popup's reads in this time, however often storage changes. */
export const refreshEveryMs = 250

/** Reads answered from the chain, not from storage. */
const chainReads = new Set<PopupMethod>(['network.status', 'wallet.overview'])

/** Storage the popup never shows: a paid answer kept for the page's retry. */
const notShown = /^undelivered:/

/** Whether a change of these storage keys can change what the popup shows. */
export function changesWhatIsShown(keys: string[]): boolean {
  return keys.some((key) => !notShown.test(key))
}

/** Whether a read (its query key's first part) is refreshed on a storage change. */
export function followsStorage(method: unknown): boolean {
  return !chainReads.has(method as PopupMethod)
}

/**
 * Calls `refresh` when local or session storage changes in a way the popup
 * shows: at once, then at most once per `everyMs` while changes keep coming
 * (the last one always followed by a call). Returns the unsubscribe.
 */
export function followStorage(refresh: () => void, everyMs = refreshEveryMs): () => void {
  let last = Number.NEGATIVE_INFINITY
  let timer: ReturnType<typeof setTimeout> | undefined
  const run = () => {
    timer = undefined
    last = Date.now()
    refresh()
  }
  const listener = (changes: Record<string, unknown>, area: string) => {
    if ((area !== 'local' && area !== 'session') || !changesWhatIsShown(Object.keys(changes)) || timer) return
    const wait = last + everyMs - Date.now()
    if (wait <= 0) run()
    else timer = setTimeout(run, wait)
  }
  browser.storage.onChanged.addListener(listener)
  return () => {
    browser.storage.onChanged.removeListener(listener)
    if (timer) clearTimeout(timer)
  }
}

/**
 * Refreshes the popup's storage-backed reads as the background stores (`followStorage`). Not while one of the popup's
 * own actions runs: it refreshes every read when it ends (`api.ts`), and Reset, for one, stores the wiped wallet
 * before it ends, so a refresh then showed onboarding that the action's end drew again, under the reader's click.
 */
export function useStorageFollow() {
  const queryClient = useQueryClient()
  useEffect(
    () =>
      followStorage(() => {
        if (queryClient.isMutating() > 0) return
        void queryClient.invalidateQueries({ predicate: (query) => followsStorage(query.queryKey[0]) }, { cancelRefetch: false })
      }),
    [queryClient],
  )
}
