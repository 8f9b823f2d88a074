/**
 * Runs in the page's own (MAIN) world. An `EventSource` or `WebSocket`
 * cannot read the status of a request that failed; the browser's
 * `webRequest` saw it. This asks Drip (through the isolated content script,
 * then `page.paymentSeen`) whether the browser saw this tab's request to
 * `url` answered 402 with a payment challenge the page may act on: the
 * challenge, or null. Nothing is fetched to find out.
 */
import { paymentQueryTag } from '@/lib/protocol/pageBridge'

export type PaymentQuery = (url: string) => Promise<string | null>

export function createPaymentQuery(target: Window): PaymentQuery {
  return (url) =>
    new Promise((resolve) => {
      const channel = new MessageChannel()
      channel.port1.onmessage = (event: MessageEvent<{ wwwAuthenticate?: unknown }>) => {
        channel.port1.close()
        resolve(typeof event.data?.wwwAuthenticate === 'string' ? event.data.wwwAuthenticate : null)
      }
      target.postMessage({ drip: paymentQueryTag, command: { url } }, target.location.origin, [channel.port2])
    })
}
