import { wrapFetch } from '@/lib/page/bridge'
import { wrapEventSource } from '@/lib/page/eventSource'
import { createHandOver } from '@/lib/page/handOver'
import { PaidUrls } from '@/lib/page/paidUrls'
import { tabMemory } from '@/lib/page/tabMemory'
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
    const site = createSiteStatus(window)
    // Kept for the tab on a site that pays (approved, or waiting for the reader), as Drip last said or, before it has, as at load.
    const paidUrls = new PaidUrls(() => document.baseURI, tabMemory(window, () => site.pays !== false))
    // The reader revoked the site while this page was open: the tab keeps no trace of what it paid.
    site.onStop(() => paidUrls.forgetAll())
    window.fetch = wrapFetch(window.fetch, handOver, paidUrls)
    window.EventSource = wrapEventSource(window.EventSource, window.fetch, paymentSeen)
    window.XMLHttpRequest = wrapXMLHttpRequest(window.XMLHttpRequest, handOver, base, paidUrls)
    window.WebSocket = wrapWebSocket(window.WebSocket, { probe: ownFetch, site, paymentSeen }, createSocketHandOver(window), base)
  },
})
