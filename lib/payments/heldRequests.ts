/**
 * A page's request whose site waits for the reader's approval is held, not
 * refused: the page is told "Waiting for your approval in Drip", and the
 * request carries on with the paid answer once the reader approves (no
 * reload, no second click). Past `approvalWaitMs`, on Deny, or when the page
 * gives up, the page gets the site's 402 as it would without Drip.
 */
import { approvalWaitMs, type PageRequest } from '@/lib/protocol/pageBridge'
import * as Authorize from './authorize'

export type Hold = {
  /** The page gave up (aborted, navigated away), or Drip stopped the request. */
  signal: AbortSignal
  /** The page's notice while the request waits; called again if the reader's approval did not cover it. */
  onWaiting: (message: string) => void
  /** How long to wait; `approvalWaitMs` unless a test says otherwise (0: the page gets the 402 at once). */
  waitMs?: number
}

/** `authorize`, holding a pending request until the reader answers its site or the wait ends. */
export async function authorizeOrWait(
  deps: Authorize.AuthorizeDeps,
  origin: string,
  request: PageRequest,
  context: Authorize.PageContext,
  hold: Hold,
): Promise<Authorize.Authorized | Authorize.Refusal> {
  let authorized = await Authorize.authorize(deps, origin, request, context)
  const waitMs = hold.waitMs ?? approvalWaitMs
  if (authorized.outcome !== 'pending' || hold.signal.aborted || waitMs <= 0 || !deps.approvals.waits.hasRoom(origin)) return authorized
  const ended = new AbortController()
  const timer = setTimeout(() => ended.abort(), waitMs)
  const stop = () => ended.abort()
  hold.signal.addEventListener('abort', stop, { once: true })
  try {
    while (authorized.outcome === 'pending') {
      hold.onWaiting(waitingMessage(authorized.message, waitMs))
      if ((await deps.approvals.waits.next(origin, ended.signal)) === 'expired')
        return { outcome: 'pending', message: `Not approved within ${seconds(waitMs)}, so the page got the site's 402. ${authorized.message}` }
      authorized = await Authorize.authorize(deps, origin, request, context)
    }
    return authorized
  } finally {
    clearTimeout(timer)
    hold.signal.removeEventListener('abort', stop)
  }
}

/** What the page notice says while a request waits. */
export function waitingMessage(pending: string, waitMs = approvalWaitMs): string {
  return `Waiting for your approval in Drip (up to ${seconds(waitMs)}); the page carries on when you approve. ${pending}`
}

function seconds(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}` : `${Math.round(ms / 1000)} s`
}
