/**
 * For tests that exercise the payment rules without a page: authorize, then
 * sign one unit (or the one-shot charge) and hand back the credential, as
 * the background does inside a paid request (`streams/paidRequest.ts`).
 * Drip gives no such credential to pages: this lives in tests only.
 */
import * as Authorize from '@/lib/payments/authorize'
import { refusalWords } from '@/lib/payments/refusalWords'
import type { Outcome, PageRequest } from '@/lib/protocol/pageBridge'

export type PaidOutcome = { outcome: 'paid'; authorization: string } | Outcome

export async function payForPage(deps: Authorize.AuthorizeDeps, origin: string, request: PageRequest): Promise<PaidOutcome> {
  const authorized = await Authorize.authorize(deps, origin, request)
  if (authorized.outcome !== 'authorized') return authorized
  try {
    const { challenge } = authorized
    const { authorization } =
      challenge.intent === 'charge' ? await deps.payer.charge(origin, challenge) : await deps.payer.pay(origin, challenge, authorized.url.href, { forPage: true })
    return { outcome: 'paid', authorization }
  } catch (error) {
    const words = refusalWords(error, origin)
    await deps.ledger.append({ origin, kind: 'refused', detail: words.history })
    return { outcome: 'refused', message: words.notice }
  }
}
