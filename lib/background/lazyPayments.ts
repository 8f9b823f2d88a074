/**
 * Loads the payment code (`entrypoints/payments.ts`: viem, mppx, the
 * wallet, the servers; about 1 MB) the first time something needs it: the
 * popup, a page's paid request, stream or socket, the auto-lock alarm, or
 * the hello of a page whose site pays (`handlers/page.ts`), ahead of it.
 * Chrome ends an idle worker after 30 s and the reader's next page starts
 * it again (its requests' statuses, its content script's hello): without
 * the payment code that start costs the page a few ms, not a hundred.
 *
 * Chrome's worker loads it with `importScripts`, which a worker may call
 * later only for a script it already imported while it was installed:
 * `keepForLater` does that once, at install. Firefox's background page
 * lists the script before the entry's, so it is there from the start.
 */
import type { Payments, PaymentsOptions, startPayments } from './payments'

/** Where the payment script leaves its start function (set by `entrypoints/payments.ts`). */
export const paymentsGlobal = 'dripStartPayments'
/** The payment script, as the build names it (an unlisted script, `payments.js`). */
export const paymentsScript = '/payments.js'

type WorkerScope = { importScripts?: (...urls: string[]) => void; addEventListener?: (type: 'install', listener: () => void) => void }
type Start = typeof startPayments

function scope(): WorkerScope & Record<string, unknown> {
  return globalThis as unknown as WorkerScope & Record<string, unknown>
}

/** In Chrome's worker: imports the payment script while the worker installs, so that it may be imported again later. */
export function keepForLater() {
  const worker = scope()
  if (typeof worker.importScripts === 'function') worker.addEventListener?.('install', () => worker.importScripts!(paymentsScript))
}

/** The payment code's start function, loading its script if it is not loaded yet. */
function loadStart(): Start {
  const worker = scope()
  if (typeof worker[paymentsGlobal] !== 'function') {
    if (typeof worker.importScripts !== 'function') throw new Error(`Drip's payment code (${paymentsScript}) is not loaded.`)
    worker.importScripts(paymentsScript)
  }
  return worker[paymentsGlobal] as Start
}

/** The payment code, started once with `options` on first use. */
export function lazyPayments(options: PaymentsOptions): () => Payments {
  let payments: Payments | undefined
  return () => (payments ??= loadStart()(options))
}
