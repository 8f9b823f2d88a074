/**
 * For tests that exercise the payment rules without a page: authorize, then
 * sign one unit (or the one-shot charge) and hand back the credential, as
 * the background does inside a paid request (`streams/paidRequest.ts`).
 * Drip gives no such credential to pages: this lives in tests only.
 */
import * as Authorize from '@/lib/payments/authorize'
import { refusalWords } from '@/lib/payments/refusalWords'
import type { PaidVoucher } from '@/lib/payments/pageDelivery'
import type { Outcome, PageRequest } from '@/lib/protocol/pageBridge'

/** `voucher`: a session voucher's channel state, for the payer's delivery report (absent for a one-shot charge). */
export type PaidOutcome = { outcome: 'paid'; authorization: string; voucher?: PaidVoucher } | Outcome

export async function payForPage(deps: Authorize.AuthorizeDeps, origin: string, request: PageRequest): Promise<PaidOutcome> {
  const authorized = await Authorize.authorize(deps, origin, request)
  if (authorized.outcome !== 'authorized') return authorized
  try {
    const { challenge } = authorized
    if (challenge.intent === 'charge') return { outcome: 'paid', authorization: (await deps.payer.charge(origin, challenge)).authorization }
    const voucher = await deps.payer.pay(origin, challenge, authorized.url.href, { forPage: true })
    return { outcome: 'paid', authorization: voucher.authorization, voucher }
  } catch (error) {
    const words = refusalWords(error, origin)
    await deps.ledger.append({ origin, kind: 'refused', detail: words.history })
    return { outcome: 'refused', message: words.notice }
  }
}
