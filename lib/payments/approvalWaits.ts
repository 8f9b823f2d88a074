/**
 * Page requests that wait for the reader's answer to their site's request:
 * each waits until the reader approves or denies that site, its page gives
 * up, or its time runs out. The answer wakes every waiter of the site; each
 * then asks the policy again (`heldRequests.ts`). Nothing here decides a
 * payment.
 */

export type Decision = 'decided' | 'expired'

/** Requests one site may hold at once; more get the site's 402 at once, as without Drip. */
export const maxHeldPerSite = 32

export class ApprovalWaits {
  private readonly waiters = new Map<string, Set<() => void>>()

  /** Whether `origin` may hold one more request. */
  hasRoom(origin: string): boolean {
    return (this.waiters.get(origin)?.size ?? 0) < maxHeldPerSite
  }

  /** Resolves when the reader answers `origin`'s request ('decided'), or `signal` ends the wait ('expired'). */
  next(origin: string, signal: AbortSignal): Promise<Decision> {
    if (signal.aborted) return Promise.resolve('expired')
    return new Promise((resolve) => {
      const waiting = this.waiters.get(origin) ?? new Set<() => void>()
      this.waiters.set(origin, waiting)
      const done = (decision: Decision) => {
        waiting.delete(wake)
        if (waiting.size === 0 && this.waiters.get(origin) === waiting) this.waiters.delete(origin)
        signal.removeEventListener('abort', expire)
        resolve(decision)
      }
      const wake = () => done('decided')
      const expire = () => done('expired')
      waiting.add(wake)
      signal.addEventListener('abort', expire, { once: true })
    })
  }

  /** The reader approved or denied `origin`: its waiting requests ask again. */
  decided(origin: string) {
    for (const wake of [...(this.waiters.get(origin) ?? [])]) wake()
  }

  /** Requests waiting now, per site (for tests and the bench). */
  held(origin: string): number {
    return this.waiters.get(origin)?.size ?? 0
  }
}
