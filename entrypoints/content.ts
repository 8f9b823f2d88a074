import { browser } from 'wxt/browser'
import { payForMedia } from '@/lib/content/paidMedia'
import { pageNotices } from '@/lib/content/pageNotice'
import { answerPaymentQueries } from '@/lib/content/paymentQueries'
import { tellSiteStatus } from '@/lib/content/siteStatus'
import { relayRequests } from '@/lib/content/requestRelay'
import { relaySockets } from '@/lib/content/socketRelay'
import * as NavigationView from '@/lib/content/navigationView'
import * as Presence from '@/lib/content/presence'
import * as StreamView from '@/lib/content/streamView'
import { requestPortName } from '@/lib/protocol/requestPort'
import { socketPortName } from '@/lib/protocol/socketPort'
import { streamPortName } from '@/lib/protocol/streamPort'
import type { PageMethod } from '@/lib/protocol/messages'
import { createSend } from '@/lib/protocol/send'
import { isTabNotice } from '@/lib/protocol/tabNotice'
import { approvalWaitMs } from '@/lib/protocol/pageBridge'

/** A content script's messages: page methods only (`PageProtocol`). */
const send = createSend<PageMethod>((request) => browser.runtime.sendMessage(request))

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  // WXT would also post its start to the page's window (naming Drip's extension id): every page would hear it.
  noScriptStartedPostMessage: true,
  async main() {
    const siteStatus = tellSiteStatus(window)
    const notices = pageNotices(document, approvalWaitMs)
    relayRequests(window, () => browser.runtime.connect({ name: requestPortName }), notices)
    relaySockets(window, () => browser.runtime.connect({ name: socketPortName }), notices)
    const paymentSeen = async (url: string) => (await send('page.paymentSeen', { url })).wwwAuthenticate
    payForMedia(document, () => browser.runtime.connect({ name: requestPortName }), paymentSeen, notices)
    answerPaymentQueries(window, paymentSeen)
    const connect = () => browser.runtime.connect({ name: streamPortName })
    const renderStreams = () => {
      // A paywalled URL opened directly: its document is the 402 itself.
      if (window.top === window && NavigationView.isPaymentRequiredDocument(performance)) return NavigationView.renderNavigation(document, connect)
      for (const element of document.querySelectorAll<HTMLElement>('[data-mpp-stream]:not([data-mpp-state])')) StreamView.render(element, connect)
    }
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', renderStreams, { once: true })
    else renderStreams()
    const presence = Presence.pagePresence(document)
    const announce = async () => {
      const connection = await send('page.connect')
      siteStatus.update(connection.pays)
      presence.update(connection)
    }
    // The reader approved this site: what waited for it carries on, and the page may now know Drip is here. Or revoked
    // it: the page stops paying and loses Drip's marks.
    browser.runtime.onMessage.addListener((notice: unknown, sender) => {
      if (sender.id !== browser.runtime.id || !isTabNotice(notice)) return
      void announce()
      if (notice.drip === 'revoked') return
      const navigation = document.querySelector<HTMLElement>('[data-mpp-navigation][data-mpp-state="pending"]')
      if (navigation) return location.reload()
      for (const element of document.querySelectorAll<HTMLElement>('[data-mpp-stream][data-mpp-state="pending"]')) StreamView.restartPending(element, connect)
    })
    await announce()
  },
})
