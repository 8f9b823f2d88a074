import { wrapFetch } from '@/lib/page/bridge'
import { wrapEventSource } from '@/lib/page/eventSource'
import { createHandOver } from '@/lib/page/handOver'
import { wrapXMLHttpRequest } from '@/lib/page/xhr'

/** Runs in the page's own world so the page's `fetch`, `EventSource` and `XMLHttpRequest` are the ones wrapped. */
export default defineContentScript({
  matches: ['<all_urls>'],
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    const handOver = createHandOver(window)
    const base = () => location.href
    window.fetch = wrapFetch(window.fetch.bind(window), handOver)
    window.EventSource = wrapEventSource(window.EventSource, window.fetch, base)
    window.XMLHttpRequest = wrapXMLHttpRequest(window.XMLHttpRequest, handOver, base)
  },
})
