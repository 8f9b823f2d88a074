/**
 * The isolated world's half of `page/paymentQuery.ts`: answers a page-world
 * wrapper's "was this a 402 I may pay?" with what the background says
 * (`page.paymentSeen`, which reads the browser's own `webRequest` record
 * for this tab). Anything unreadable is answered null.
 */
import { paymentQueryTag } from '@/lib/protocol/pageBridge'
import { receiveHandOvers } from './handOvers'

export function answerPaymentQueries(target: Window, ask: (url: string) => Promise<string | null>) {
  receiveHandOvers(target, paymentQueryTag, (page, command) => {
    const reply = (wwwAuthenticate: string | null) => {
      page.postMessage({ wwwAuthenticate })
      page.close()
    }
    const url = (command as { url?: unknown } | undefined)?.url
    if (typeof url !== 'string' || url.length > 8_192) return reply(null)
    ask(url).then(reply, () => reply(null))
  })
}
