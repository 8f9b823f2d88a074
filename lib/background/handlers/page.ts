/**
 * `page.*`: the small public API of content scripts. The page's origin is
 * the caller's, as the browser says. Nothing here signs or returns a
 * credential: pages are paid through the hand-over (`background/servers/requestServer.ts`).
 * Every page asks on load, so these read storage and the browser's own
 * statuses only, never the payment code (`siteStanding.ts`).
 */
import type { PageHandlers } from '@/lib/protocol/messages'
import { paymentSeen } from '@/lib/payments/seenResponses'
import { httpUrlOf } from '@/lib/protocol/socketPort'
import type { BackgroundOptions } from '../background'
import { siteStanding } from '../siteStanding'

/**
 * `onPayingSite`: a page of a site that pays (approved, or waiting for the
 * reader) said hello; the entry then loads the payment code ahead of the
 * page's first payment.
 */
export function pageHandlers(options: Pick<BackgroundOptions, 'version' | 'responses'>, onPayingSite: () => void = () => {}): PageHandlers {
  return {
    async 'page.connect'(_params, caller) {
      const { origin } = caller
      const standing = await siteStanding(origin)
      if (standing.pays) onPayingSite()
      return { wallet: 'drip', version: options.version, origin, ...standing }
    },
    async 'page.paymentSeen'({ url }, caller) {
      const { origin } = caller
      const responses = options.responses
      if (!responses || caller.tabId === undefined || typeof url !== 'string' || url.length > 8_192 || !URL.canParse(url)) return { wwwAuthenticate: null }
      const status = await responses.statuses.status(caller.tabId, url)
      const resourceOrigin = new URL(url).protocol.startsWith('ws') ? httpUrlOf(new URL(url)).origin : new URL(url).origin
      return { wwwAuthenticate: paymentSeen(status, responses.challenges.find(caller.tabId, url), origin, resourceOrigin) }
    },
  }
}
