/**
 * A page's 402, from the content script to a credential: firewall, policy,
 * then a session payment. The site's origin is the sender's, given by the
 * browser; nothing in the request names it.
 */
import type { Address, LocalAccount } from 'viem'
import type { Approvals } from './approvals'
import * as Challenge from './challenge'
import type { Ledger } from './ledger'
import * as Policy from './policy'
import type { Sessions } from './sessions'
import { LockedError, type Wallet } from './wallet'

export type PageRequest = {
  /** The URL the page fetched; management POSTs for its channel go here. */
  url: string
  method: string
  /** The 402's challenge, or null when CORS hid the header from the page. */
  wwwAuthenticate: string | null
}

export type Outcome =
  | { outcome: 'paid'; authorization: string }
  | { outcome: 'pending'; message: string }
  | { outcome: 'refused'; message: string }
  | { outcome: 'locked'; message: string }

export type AccountContext = { approvals: Approvals; ledger: Ledger; sessions: (account: LocalAccount) => Sessions }

export type PaymentDeps = {
  wallet: Wallet
  contextFor: (address: Address) => AccountContext
  enabledChainIds: () => Promise<number[]>
  /** Re-fetches challenges that CORS hid from the page (extension fetches are not subject to CORS). */
  fetch: typeof globalThis.fetch
  onPendingChanged: () => void | Promise<void>
}

/** A site the user approved, with the challenge to pay and the session layer to pay it with. */
export type Authorized = {
  outcome: 'authorized'
  challenge: Challenge.SessionChallenge
  approval: Policy.Approval
  sessions: Sessions
  ledger: Ledger
  url: URL
}

/**
 * Firewall, then policy: either the site may be paid now, or the page gets
 * an outcome in words (pending approval, refused, locked). Refusals are logged.
 */
export async function authorize(deps: PaymentDeps, origin: string, request: PageRequest): Promise<Authorized | Exclude<Outcome, { outcome: 'paid' }>> {
  const address = await deps.wallet.address()
  if (!address) return { outcome: 'locked', message: 'Drip has no account yet. Open Drip from the toolbar to set it up.' }
  const { approvals, ledger, sessions } = deps.contextFor(address)
  try {
    const url = parseUrl(request.url)
    const header = request.wwwAuthenticate ?? (await refetchChallenge(deps.fetch, url, request.method))
    const challenge = Challenge.parse(header)
    Challenge.screen(challenge, { enabledChainIds: await deps.enabledChainIds() })
    const decision = Policy.decide(challenge, await approvals.get(origin))
    if (decision.kind === 'ask') {
      const queued = await approvals.recordPending(challenge, origin)
      await deps.onPendingChanged()
      return queued === 'denied'
        ? { outcome: 'refused', message: `You denied ${origin} this session. Approve it from Drip's popup to pay it.` }
        : { outcome: 'pending', message: `${origin} asks to be paid ${Policy.usd(challenge.amount)} per ${challenge.unitType}. Approve it in Drip's toolbar popup.` }
    }
    const account = await deps.wallet.account()
    return { outcome: 'authorized', challenge, approval: decision.approval, sessions: sessions(account), ledger, url }
  } catch (error) {
    if (error instanceof LockedError) return { outcome: 'locked', message: error.message }
    const message = error instanceof Error ? error.message : String(error)
    await ledger.append({ origin, kind: 'refused', detail: message })
    return { outcome: 'refused', message }
  }
}

export async function payForPage(deps: PaymentDeps, origin: string, request: PageRequest): Promise<Outcome> {
  const authorized = await authorize(deps, origin, request)
  if (authorized.outcome !== 'authorized') return authorized
  const { challenge, approval, sessions, ledger, url } = authorized
  try {
    return { outcome: 'paid', authorization: await sessions.pay(origin, challenge, approval, url.href) }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    await ledger.append({ origin, kind: 'refused', detail: message })
    return { outcome: 'refused', message }
  }
}

function parseUrl(input: string): URL {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    throw new Error(`"${input}" is not a URL.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('Drip pays only http and https resources.')
  url.hash = ''
  return url
}

async function refetchChallenge(fetch: typeof globalThis.fetch, url: URL, method: string): Promise<string | null> {
  if (method !== 'GET' && method !== 'HEAD')
    throw new Challenge.RefusedError('malformed', `The site hid its payment challenge from the page, and Drip only re-asks for it with GET, not ${method}.`)
  const response = await fetch(url, { method, credentials: 'omit', headers: { accept: 'application/json' } })
  await response.body?.cancel()
  if (response.status !== 402) throw new Challenge.RefusedError('malformed', `${url.origin} did not repeat its 402 (it answered HTTP ${response.status}).`)
  return response.headers.get('www-authenticate')
}
