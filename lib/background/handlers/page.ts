/**
 * `page.*`: the small public API of content scripts. The page's origin is
 * the caller's, as the browser says. Nothing here signs or returns a
 * credential: pages are paid through the hand-over (`background/servers/requestServer.ts`).
 */
import type { Caller, Handlers } from '@/lib/protocol/messages'
import { paymentSeen } from '@/lib/payments/seenResponses'
import { httpUrlOf } from '@/lib/protocol/socketPort'
import type { Background } from '../background'

export function pageHandlers(background: Background): Pick<Handlers, 'page.connect' | 'page.paymentSeen'> {
  return {
    async 'page.connect'(_params, caller) {
      const origin = pageOrigin(caller)
      const approvals = (await background.scope())?.approvals
      const approved = Boolean(await approvals?.get(origin))
      const pays = approved || Boolean(await approvals?.pendingFor(origin))
      return { wallet: 'drip', version: background.options.version, origin, approved, pays }
    },
    async 'page.paymentSeen'({ url }, caller) {
      const origin = pageOrigin(caller)
      const responses = background.options.responses
      if (!responses || caller.kind !== 'page' || caller.tabId === undefined || typeof url !== 'string' || url.length > 8_192 || !URL.canParse(url)) return { wwwAuthenticate: null }
      const status = await responses.statuses.status(caller.tabId, url)
      const resourceOrigin = new URL(url).protocol.startsWith('ws') ? httpUrlOf(new URL(url)).origin : new URL(url).origin
      return { wwwAuthenticate: paymentSeen(status, responses.challenges.find(caller.tabId, url), origin, resourceOrigin) }
    },
  }
}

function pageOrigin(caller: Caller): string {
  if (caller.kind !== 'page') throw new Error('Only content scripts speak for pages.')
  return caller.origin
}
