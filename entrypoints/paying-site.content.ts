import { announcePayingSite } from '@/lib/page/payingSiteHint'

/**
 * Registered by the background for the sites that pay only (`lib/background/payingSiteScript.ts`), never in the
 * manifest: on every other site nothing of it runs.
 */
export default defineContentScript({
  matches: ['<all_urls>'],
  registration: 'runtime',
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    announcePayingSite(window)
  },
})
