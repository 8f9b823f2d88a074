import * as Messaging from '@/lib/messaging'
import * as Presence from '@/lib/presence'

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  async main() {
    const connection = await Messaging.send('page.connect')
    Presence.announce(document, connection)
  },
})
