/** `page.*`: the small public API of content scripts. The page's origin is the caller's, as the browser says. */
import type { Caller, Handlers } from '@/lib/protocol/messages'
import * as Authorize from '@/lib/payments/authorize'
import { recordSiteReceipt } from '@/lib/payments/receipts'
import { paymentSeen } from '@/lib/payments/seenResponses'
import { httpUrlOf } from '@/lib/protocol/socketPort'
import type { Background } from '../root'

export function pageHandlers(background: Background): Pick<Handlers, 'page.connect' | 'page.pay' | 'page.receipt' | 'page.delivered' | 'page.paymentSeen'> {
  return {
    async 'page.connect'(_params, caller) {
      const origin = pageOrigin(caller)
      const approvals = (await background.scope())?.approvals
      const approved = Boolean(await approvals?.get(origin))
      const pays = approved || Boolean(await approvals?.pendingFor(origin))
      return { wallet: 'drip', version: background.options.version, origin, approved, pays }
    },
    async 'page.pay'(request, caller) {
      const origin = pageOrigin(caller)
      const scope = await background.scope()
      if (!scope) return { outcome: 'locked', message: 'Drip has no account yet. Open Drip from the toolbar to set it up.' }
      return Authorize.payForPage(scope, origin, {
        url: String(request?.url ?? ''),
        method: String(request?.method ?? 'GET').toUpperCase(),
        wwwAuthenticate: typeof request?.wwwAuthenticate === 'string' ? request.wwwAuthenticate : null,
      })
    },
    async 'page.paymentSeen'({ url }, caller) {
      const origin = pageOrigin(caller)
      const responses = background.options.responses
      if (!responses || caller.kind !== 'page' || caller.tabId === undefined || typeof url !== 'string' || url.length > 8_192 || !URL.canParse(url)) return { wwwAuthenticate: null }
      const status = await responses.statuses.status(caller.tabId, url)
      const resourceOrigin = new URL(url).protocol.startsWith('ws') ? httpUrlOf(new URL(url)).origin : new URL(url).origin
      return { wwwAuthenticate: paymentSeen(status, responses.challenges.find(caller.tabId, url), origin, resourceOrigin) }
    },
    /** Whether a voucher the page was given reached the site; see `Payer.delivered`. */
    async 'page.delivered'({ authorization, status }, caller) {
      const origin = pageOrigin(caller)
      const scope = await background.scope()
      if (!scope || typeof authorization !== 'string' || authorization.length > 16_384 || !Number.isInteger(status)) return { recorded: false }
      return { recorded: await scope.payer.delivered(origin, authorization, status) }
    },
    /** Records that the site confirmed a payment on a channel Drip holds for that same site (`receipts.ts`). */
    async 'page.receipt'({ receipt: header }, caller) {
      const origin = pageOrigin(caller)
      const scope = await background.scope()
      if (!scope || typeof header !== 'string') return { recorded: false }
      return { recorded: await recordSiteReceipt(scope, origin, header) }
    },
  }
}

function pageOrigin(caller: Caller): string {
  if (caller.kind !== 'page') throw new Error('Only content scripts speak for pages.')
  return caller.origin
}
