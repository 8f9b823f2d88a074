/** Which sites may wait for the reader: a table of the queue rule (`pendingQueue.ts`). */
import { describe, expect, test } from 'vitest'
import { makeRoom, maxPending, maxPendingPerTab, pendingExpiryMs } from '@/lib/payments/pendingQueue'
import type { PendingRequest } from '@/lib/payments/waitingRequests'

const waiting = (origin: string, lastSeenAt: number, tabId?: number): PendingRequest => ({
  origin,
  amount: '10000',
  unitType: 'photo',
  recipient: '0x00000000000000000000000000000000000000aa',
  currency: '0x20c0000000000000000000000000000000000000',
  chainId: 1337,
  suggestedDeposit: undefined,
  firstSeenAt: lastSeenAt,
  lastSeenAt,
  count: 1,
  ...(tabId === undefined ? {} : { tabId }),
})
const queue = (...requests: PendingRequest[]) => Object.fromEntries(requests.map((r) => [r.origin, r]))
const now = 10 * pendingExpiryMs

describe('makeRoom', () => {
  test.each([
    ['room for a new site: nothing goes', queue(waiting('a', now - 1, 1)), 'new', 2, []],
    ['a site already waiting keeps its place (nothing goes, even when full)', queue(...Array.from({ length: maxPending }, (_, i) => waiting(`s${i}`, now - i, i))), 's3', 3, []],
    ['expired requests go', queue(waiting('old', now - pendingExpiryMs, 1), waiting('fresh', now - 1, 1)), 'new', 2, ['old']],
    [
      `a tab at ${maxPendingPerTab} sites pushes out its own oldest, not another tab’s`,
      queue(waiting('t1', now - 30, 7), waiting('t2', now - 20, 7), waiting('t3', now - 10, 7), waiting('other', now - 100, 8)),
      'hop',
      7,
      ['t1'],
    ],
    ['full: the site that asked least recently goes', queue(...Array.from({ length: maxPending }, (_, i) => waiting(`s${i}`, now - 100 + i, 100 + i))), 'reader', 1, ['s0']],
    ['no tab known: only the overall bound', queue(waiting('a', now - 3), waiting('b', now - 2), waiting('c', now - 1)), 'new', undefined, []],
  ] as const)('%s', (_name, all, origin, tabId, dropped) => {
    const room = makeRoom(all, origin, tabId, now)
    expect(room.dropped).toEqual(dropped)
    expect(Object.keys(room.kept).length).toBeLessThan(maxPending + (all[origin] ? 1 : 0))
    for (const site of dropped) expect(room.kept[site]).toBeUndefined()
  })
})
