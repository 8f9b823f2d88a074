import { wrapFetch } from '@/lib/page/bridge'
import { wrapEventSource } from '@/lib/page/eventSource'
import { createHandOver } from '@/lib/page/handOver'
import { PaidUrls } from '@/lib/page/paidUrls'
import { printNativeSourceText } from '@/lib/page/sourceText'
import { createPaymentQuery } from '@/lib/page/paymentQuery'
import { createSiteStatus } from '@/lib/page/siteStatus'
import { createSocketHandOver } from '@/lib/page/socketHandOver'
import { wrapWebSocket } from '@/lib/page/webSocket'
import { wrapXMLHttpRequest } from '@/lib/page/xhr'

/** Runs in the page's own world so the page's `fetch`, `EventSource`, `XMLHttpRequest` and `WebSocket` are the ones wrapped. */
export default defineContentScript({
  matches: ['<all_urls>'],
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    printNativeSourceText(window)
    const handOver = createHandOver(window)
    const paymentSeen = createPaymentQuery(window)
    const base = () => location.href
    const ownFetch = window.fetch.bind(window)
    window.fetch = wrapFetch(window.fetch, handOver, new PaidUrls(() => document.baseURI))
    window.EventSource = wrapEventSource(window.EventSource, window.fetch, paymentSeen)
    window.XMLHttpRequest = wrapXMLHttpRequest(window.XMLHttpRequest, handOver, base)
    window.WebSocket = wrapWebSocket(window.WebSocket, { probe: ownFetch, site: createSiteStatus(window), paymentSeen }, createSocketHandOver(window), base)
  },
})
