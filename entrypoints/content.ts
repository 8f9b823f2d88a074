import { browser } from 'wxt/browser'
import * as Messaging from '@/lib/messaging'
import { relay } from '@/lib/pageBridge'
import * as Presence from '@/lib/presence'
import * as StreamView from '@/lib/streamView'

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  async main() {
    relay(
      window,
      (request) => Messaging.send('page.pay', request),
      (url, receipt) => Messaging.send('page.receipt', { url, receipt }),
    )
    const connect = () => browser.runtime.connect({ name: Messaging.streamPortName })
    const renderStreams = () => {
      // A paywalled URL opened directly: its document is the 402 itself.
      if (window.top === window && StreamView.isPaymentRequiredDocument(performance)) return StreamView.renderNavigation(document, connect)
      for (const element of document.querySelectorAll<HTMLElement>('[data-mpp-stream]:not([data-mpp-state])')) StreamView.render(element, connect)
    }
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', renderStreams, { once: true })
    else renderStreams()
    Presence.announce(document, await Messaging.send('page.connect'))
  },
})
