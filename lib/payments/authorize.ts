/**
 * A page's 402, from the content script to a decision: firewall, policy,
 * then pay or say why not. The page's origin is the sender's, given by the
 * browser; nothing in the request names it, and nothing in it is trusted
 * for an amount. Another site's API is paid only when the reader approved
 * that API, by name, for this page: a credential never goes to a third party
 * the reader did not name, and the background never fetches (or reports the
 * status of) a URL outside the page's origin.
 */
import type { Outcome, PageRequest } from '@/lib/protocol/pageBridge'
import { refusalWords } from './refusalWords'
import type { Observed402 } from './observedChallenges'
import { formatDollars } from '@/lib/shared/amounts'
import { corsAllows } from '@/lib/shared/cors'
import { parseHttpUrl } from '@/lib/shared/urls'
import type { Approvals } from './approvals'
import * as Challenge from './challenge'
import type { Ledger } from './ledger'
import type { Payer } from './payer'
import * as Policy from './policy'

export type AuthorizeDeps = {
  approvals: Approvals
  ledger: Ledger
  payer: Payer
  /** Whether the wallet can sign right now (no key is loaded and auto-lock is not pushed back). */
  isUnlocked: () => Promise<boolean>
  enabledChainIds: () => Promise<number[]>
  /** Re-fetches a challenge CORS hid from the page; never follows redirects. */
  fetch: typeof globalThis.fetch
  onPendingChanged: () => void | Promise<void>
}

/** Where the page's request came from, as the browser says: its tab, and the 402s that tab received. */
export type PageContext = {
  tabId?: number
  credentials?: RequestCredentials
  /** The 402 the browser saw this tab get for `url`, once the browser has reported that request (its report can come after the page's hand-over). */
  observed?: (tabId: number, url: string) => Promise<Observed402 | undefined>
  /** Pay only a 402 the browser saw (paid images and media, which the page cannot read): never re-ask the site. */
  observedOnly?: boolean
}

/** An approved site with the challenge to pay. */
export type Authorized = { outcome: 'authorized'; challenge: Challenge.PaymentChallenge; approval: Policy.Approval; url: URL }

export type Refusal = Outcome

/** Firewall, then policy: either the site may be paid now, or the page gets an outcome in words. */
export async function authorize(deps: AuthorizeDeps, origin: string, request: PageRequest, context: PageContext = {}): Promise<Authorized | Refusal> {
  const approval = await deps.approvals.get(origin)
  try {
    const url = parseHttpUrl(request.url)
    const resourceOrigin = url.origin === origin ? undefined : url.origin
    const header = resourceOrigin === undefined ? await ownChallenge(deps, url, request, context) : await crossOriginChallenge(origin, url, context.credentials, context)
    const challenge = Challenge.parseOffer(header)
    Challenge.screen(challenge, { enabledChainIds: await deps.enabledChainIds() })
    const terms = resourceOrigin === undefined ? challenge : { ...challenge, resourceOrigin }
    const decision = Policy.decide(terms, approval)
    if (decision.kind === 'ask') {
      const queued = await deps.approvals.recordPending(terms, origin, context.tabId)
      await deps.onPendingChanged()
      if (queued === 'ignored') return { outcome: 'refused', message: `You told Drip to ignore ${origin}. To pay it, stop ignoring it under Sites in Drip's popup.` }
      if (queued === 'denied') return { outcome: 'refused', message: `You denied ${origin} this session. Approve it from Drip's popup to pay it.` }
      const price = challenge.intent === 'charge' ? `a one-time payment of ${formatDollars(challenge.amount)}` : `${formatDollars(challenge.amount)} per ${challenge.unitType}`
      const asks = resourceOrigin ? `${origin} asks Drip to pay ${resourceOrigin} ${price}.` : `${origin} asks to be paid ${price}.`
      return { outcome: 'pending', message: decision.reason ? `${decision.reason} ${asks} Approve it again in Drip's toolbar popup.` : `${asks} Approve it in Drip's toolbar popup.` }
    }
    if (!(await deps.isUnlocked())) return { outcome: 'locked', message: 'Drip is locked. Unlock it from the toolbar popup.' }
    // One approval covers every unit and price within the limit; a new one, or a rise, is paid and told in Activity.
    const news = await deps.approvals.notePrice(origin, terms)
    if (news) await deps.ledger.append({ origin, kind: 'price', amount: challenge.amount.toString(), detail: news })
    return { outcome: 'authorized', challenge, approval: decision.approval, url }
  } catch (error) {
    return refused(deps, origin, approval, error)
  }
}

/**
 * The page hears why. Refusals are logged only for approved sites, folded
 * when repeated: an unapproved page cannot write to storage through them.
 */
async function refused(deps: AuthorizeDeps, origin: string, approval: Policy.Approval | undefined, error: unknown): Promise<Refusal> {
  const words = refusalWords(error, origin)
  if (error instanceof Error && error.name === 'LockedError') return { outcome: 'locked', message: words.notice }
  if (approval) await deps.ledger.append({ origin, kind: 'refused', detail: words.history })
  return { outcome: 'refused', message: words.notice }
}

/** The page's own origin: the challenge the page read, or the one the browser saw, or (not for media) the site's again. */
async function ownChallenge(deps: AuthorizeDeps, url: URL, request: PageRequest, context: PageContext): Promise<string | null> {
  if (request.wwwAuthenticate) return request.wwwAuthenticate
  const seen = await observedFor(context, url)
  if (seen) return seen.wwwAuthenticate
  if (context.observedOnly) throw new Challenge.RefusedError('malformed', `Drip did not see ${url.origin} answer this with a payment challenge.`)
  return refetchChallenge(deps.fetch, url, request.method)
}

/**
 * Another site's API: Drip pays it only for a 402 the browser saw that API
 * send this tab (`observedChallenges.ts`), whose CORS let the page read it,
 * and with that 402's own challenge (the page may not have been allowed to
 * read the header). Drip never fetches another site's URL for a page.
 */
async function crossOriginChallenge(origin: string, url: URL, credentials: RequestCredentials | undefined, context: PageContext): Promise<string> {
  const seen = await observedFor(context, url)
  if (!seen) throw new Challenge.RefusedError('malformed', `Drip did not see ${url.origin} answer ${origin}'s request with a payment challenge, so it pays nothing there.`)
  if (!corsAllows(seen, origin, credentials ?? 'same-origin')) throw new Challenge.RefusedError('malformed', `${url.origin} does not let ${origin} read its answers (CORS), so Drip does not pay it for that page.`)
  return seen.wwwAuthenticate
}

function observedFor(context: PageContext, url: URL): Promise<Observed402 | undefined> {
  return context.tabId === undefined || !context.observed ? Promise.resolve(undefined) : context.observed(context.tabId, url.href)
}

async function refetchChallenge(fetch: typeof globalThis.fetch, url: URL, method: string): Promise<string | null> {
  if (method !== 'GET' && method !== 'HEAD')
    throw new Challenge.RefusedError('malformed', `The site hid its payment challenge from the page, and Drip only re-asks for it with GET, not ${method.slice(0, 10)}.`)
  const response = await fetch(url, { method, credentials: 'omit', headers: { accept: 'application/json' } })
  await response.body?.cancel()
  if (response.status !== 402) throw new Challenge.RefusedError('malformed', `${url.origin} did not repeat its 402.`)
  return response.headers.get('www-authenticate')
}
