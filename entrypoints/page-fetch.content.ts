import { createAsker, createDeliveryReporter, createReceiptReporter, wrapFetch } from '@/lib/page/bridge'

/** Runs in the page's own world so the page's `fetch` is the one wrapped. */
export default defineContentScript({
  matches: ['<all_urls>'],
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    window.fetch = wrapFetch(window.fetch.bind(window), createAsker(window), {
      receipt: createReceiptReporter(window),
      delivery: createDeliveryReporter(window),
    })
  },
})
