import { browser } from 'wxt/browser'
import { relay } from '@/lib/content/relay'
import * as NavigationView from '@/lib/content/navigationView'
import * as Presence from '@/lib/content/presence'
import * as StreamView from '@/lib/content/streamView'
import { streamPortName } from '@/lib/protocol/streamPort'
import { send } from '@/lib/protocol/send'

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  async main() {
    relay(window, {
      pay: (request) => send('page.pay', request),
      recordReceipt: (url, receipt) => send('page.receipt', { url, receipt }),
      recordDelivery: (authorization, status) => send('page.delivered', { authorization, status }),
    })
    const connect = () => browser.runtime.connect({ name: streamPortName })
    const renderStreams = () => {
      // A paywalled URL opened directly: its document is the 402 itself.
      if (window.top === window && NavigationView.isPaymentRequiredDocument(performance)) return NavigationView.renderNavigation(document, connect)
      for (const element of document.querySelectorAll<HTMLElement>('[data-mpp-stream]:not([data-mpp-state])')) StreamView.render(element, connect)
    }
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', renderStreams, { once: true })
    else renderStreams()
    Presence.announce(document, await send('page.connect'))
  },
})
