import { wrapFetch } from '@/lib/page/bridge'
import { createHandOver } from '@/lib/page/handOver'

/** Runs in the page's own world so the page's `fetch` is the one wrapped. */
export default defineContentScript({
  matches: ['<all_urls>'],
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    window.fetch = wrapFetch(window.fetch.bind(window), createHandOver(window))
  },
})
