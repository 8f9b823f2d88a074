/**
 * Moves the clock of Drip's background service worker from outside, the
 * way a reader's clock moves past midnight: `Date` in the worker's global
 * scope is replaced by one that runs from `at` on. Nothing in the product
 * knows about it. A worker that Chrome restarts gets the real clock back,
 * so `workerClockIsMoved` lets a test check the clock it relied on held.
 */
import type { Worker } from 'playwright-core'

/** From now on the worker's `Date` reads `at`, then runs on in real time. */
export async function moveWorkerClock(worker: Worker, at: Date): Promise<void> {
  await worker.evaluate((target) => {
    const scope = globalThis as typeof globalThis & { __realDate?: DateConstructor }
    const Real = (scope.__realDate ??= Date)
    const offset = target - Real.now()
    class MovedDate extends Real {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(Real.now() + offset)
        else super(...(args as [number]))
      }
      static override now() {
        return Real.now() + offset
      }
    }
    scope.Date = MovedDate as DateConstructor
  }, at.getTime())
}

/** Gives the worker its real clock back. */
export async function restoreWorkerClock(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    const scope = globalThis as typeof globalThis & { __realDate?: DateConstructor }
    if (scope.__realDate) scope.Date = scope.__realDate
  })
}

/** Whether the worker still runs on a moved clock (false after Chrome restarted it). */
export function workerClockIsMoved(worker: Worker): Promise<boolean> {
  return worker.evaluate(() => Boolean((globalThis as { __realDate?: unknown }).__realDate) && Date !== (globalThis as { __realDate?: unknown }).__realDate)
}
