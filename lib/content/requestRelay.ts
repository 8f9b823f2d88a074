/**
 * The isolated world's half of paid requests: takes the `MessagePort` a
 * page-world wrapper hands over with a request and joins it to a
 * `browser.runtime` port to the background. It only forwards: the
 * background takes the origin from the browser and decides everything.
 */
import type { Browser } from 'wxt/browser'
import { keepaliveMs, receiveHandOvers, type RelayNotices, silentNotices } from './handOvers'
import { isPaidRequest, type PageRequestCommand, pageRequestTag, type RequestCommand, type RequestReport } from '@/lib/protocol/requestPort'

export function relayRequests(target: Window, connect: () => Browser.runtime.Port, notices: RelayNotices = silentNotices) {
  receiveHandOvers(target, pageRequestTag, (page, received) => {
    const command = received as PageRequestCommand
    if (command?.type !== 'start' || !isPaidRequest(command.request)) {
      page.postMessage({ type: 'unpaid', outcome: 'refused', message: 'Drip could not read this request.' } satisfies RequestReport)
      return page.close()
    }
    const request = command.request
    let background: Browser.runtime.Port
    let open = true
    let headed = false
    let retried = false
    let waited: string | undefined
    const keepalive = setInterval(() => background.postMessage({ type: 'keepalive' } satisfies RequestCommand), keepaliveMs)
    const finish = () => {
      if (!open) return
      open = false
      clearInterval(keepalive)
      background.disconnect()
      page.close()
    }
    const attach = () => {
      background = connect()
      background.onMessage.addListener((report: RequestReport) => {
        // Held for the reader's approval: only the reader hears of it; the page's request simply takes longer.
        if (report.type === 'waiting') return notices.waiting((waited = report.message))
        const whole = report.type === 'whole'
        if (report.type === 'head' || whole) headed = true
        if ((report.type === 'head' || whole) && waited) notices.carriedOn(waited)
        if (report.type === 'unpaid') notices.unpaid(report.message, report.outcome)
        page.postMessage(report)
        // The page has all of it: Drip need not keep the response for a retry.
        if (report.type === 'end' || whole) background.postMessage({ type: 'received' } satisfies RequestCommand)
        if (report.type === 'end' || whole || report.type === 'error' || report.type === 'failed' || report.type === 'unpaid') finish()
      })
      background.onDisconnect.addListener(() => {
        if (!open) return
        // Chrome ended the worker before the answer began: ask once more. A response the site was paid for
        // and Drip kept is handed over then, without paying again (`streams/undelivered.ts`).
        if (!headed && !retried) {
          retried = true
          return attach()
        }
        page.postMessage({ type: 'error', message: 'Drip stopped this request (its worker was ended, or the wallet locked).' } satisfies RequestReport)
        finish()
      })
      background.postMessage({ type: 'start', request, ...(retried ? { retry: true } : {}) } satisfies RequestCommand)
    }
    page.onmessage = (message: MessageEvent<PageRequestCommand>) => {
      if (message.data?.type === 'abort') finish()
    }
    attach()
  })
}
