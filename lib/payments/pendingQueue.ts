/**
 * Which sites may wait for the reader, as a pure rule: a page must not be
 * able to jam the queue so that the site the reader wants cannot ask.
 *
 * - A request waits at most `pendingExpiryMs` after its site last asked.
 * - One tab holds at most `maxPendingPerTab` waiting sites: a tab hopping
 *   through origins pushes out its own oldest, never another tab's.
 * - At most `maxPending` sites wait in all; a new one always gets in, and
 *   the one that asked least recently goes (it asks again when its page
 *   does). So the site in front of the reader always gets through.
 */
import type { PendingRequest } from './waitingRequests'

export const maxPending = 10
export const maxPendingPerTab = 3
/** Ten minutes since the site last asked. */
export const pendingExpiryMs = 10 * 60_000

/** Whether a request still waits: its site asked within `pendingExpiryMs`. */
export function stillWaiting(request: PendingRequest, now: number): boolean {
  return now - request.lastSeenAt < pendingExpiryMs
}

/** The queue with room made for `origin` asking from `tabId`: what stays, and the sites that no longer wait. */
export function makeRoom(
  all: Record<string, PendingRequest>,
  origin: string,
  tabId: number | undefined,
  now: number,
): { kept: Record<string, PendingRequest>; dropped: string[] } {
  const dropped: string[] = []
  const kept: Record<string, PendingRequest> = {}
  for (const [site, request] of Object.entries(all)) {
    if (site !== origin && !stillWaiting(request, now)) dropped.push(site)
    else kept[site] = request
  }
  if (kept[origin]) return { kept, dropped }
  const oldestFirst = (sites: string[]) => sites.sort((a, b) => kept[a]!.lastSeenAt - kept[b]!.lastSeenAt)
  const sameTab = tabId === undefined ? [] : oldestFirst(Object.keys(kept).filter((site) => kept[site]!.tabId === tabId))
  while (sameTab.length >= maxPendingPerTab) drop(sameTab.shift()!)
  const everyone = oldestFirst(Object.keys(kept))
  while (everyone.length >= maxPending) drop(everyone.shift()!)
  return { kept, dropped }

  function drop(site: string) {
    delete kept[site]
    dropped.push(site)
  }
}
