import * as Messaging from '@/lib/messaging'
import { relay } from '@/lib/pageBridge'
import * as Presence from '@/lib/presence'

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  async main() {
    relay(
      window,
      (request) => Messaging.send('page.pay', request),
      (url, receipt) => Messaging.send('page.receipt', { url, receipt }),
    )
    Presence.announce(document, await Messaging.send('page.connect'))
  },
})
