/**
 * The isolated world's half of paid requests: takes the `MessagePort` a
 * page-world wrapper hands over with a request and joins it to a
 * `browser.runtime` port to the background. It only forwards: the
 * background takes the origin from the browser and decides everything.
 */
import type { Browser } from 'wxt/browser'
import { keepaliveMs, receiveHandOvers, type RelayNotices, silentNotices } from './handOvers'
import { sparePorts } from './sparePort'
import { isPaidRequest, type PageRequestCommand, pageRequestTag, type RequestCommand, type RequestReport } from '@/lib/protocol/requestPort'
import { stepMark } from '@/lib/shared/stepMarks'

/** A request's ports at most: its own, one retry after Chrome ended the worker, and one more when the first was opened ahead. */
const maxAttempts = 3

export function relayRequests(target: Window, connect: () => Browser.runtime.Port, notices: RelayNotices = silentNotices) {
  // Once Drip answered one of the page's requests, the next one's port is opened ahead (`sparePort.ts`): once that
  // answer reached the page, then as each request has gone out, while the site answers it (nothing else runs here then).
  const ports = sparePorts(connect)
  let paying = false
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
    let attempts = 0
    let waited: string | undefined
    const keepalive = setInterval(() => background.postMessage({ type: 'keepalive' } satisfies RequestCommand), keepaliveMs)
    /**
     * The request is over. The page's last message was posted already; what is left (the worker told the page has
     * the answer, the ports closed, the next request's port opened) waits for a later task: this script runs on the
     * page's own thread, and done at once it held that message back about 0.6 ms of each paid photo
     * (`npm run bench:share`).
     */
    const finish = (after?: () => void) => {
      if (!open) return
      open = false
      clearInterval(keepalive)
      setTimeout(() => {
        try {
          after?.()
        } catch {
          // The worker went meanwhile: the page has its answer, and there is nothing left to tell.
        }
        background.disconnect()
        page.close()
      }, 0)
    }
    const attach = () => {
      const taken = ports.take()
      background = taken.port
      background.onMessage.addListener((report: RequestReport) => {
        // Held for the reader's approval: only the reader hears of it; the page's request simply takes longer.
        if (report.type === 'waiting') return notices.waiting((waited = report.message))
        const whole = report.type === 'whole'
        if (report.type === 'head' || whole) headed = true
        if ((report.type === 'head' || whole) && waited) notices.carriedOn(waited)
        if (report.type === 'unpaid') notices.unpaid(report.message, report.outcome)
        page.postMessage(report)
        if (report.type === 'end' || whole)
          finish(() => {
            // The page has all of it: Drip need not keep the response for a retry.
            background.postMessage({ type: 'received' } satisfies RequestCommand)
            if (paying) return
            paying = true
            ports.ready()
          })
        else if (report.type === 'error' || report.type === 'failed' || report.type === 'unpaid') finish()
      })
      background.onDisconnect.addListener(() => {
        if (!open) return
        // Chrome ended the worker before the answer began: ask once more. A response the site was paid for
        // and Drip kept is handed over then, without paying again (`streams/undelivered.ts`). A port opened ahead
        // that went with an earlier worker is no such attempt: the request asks on a new port, its one retry kept.
        if (!headed && attempts < maxAttempts && (taken.spare || !retried)) {
          if (!taken.spare) retried = true
          return attach()
        }
        page.postMessage({ type: 'error', message: 'Drip stopped this request (its worker was ended, or the wallet locked).' } satisfies RequestReport)
        finish()
      })
      background.postMessage({ type: 'start', request, ...(attempts > 0 ? { retry: true } : {}) } satisfies RequestCommand)
      stepMark('content script: request sent on')
      attempts++
      if (paying && attempts === 1) setTimeout(() => ports.ready(), 0)
    }
    page.onmessage = (message: MessageEvent<PageRequestCommand>) => {
      if (message.data?.type === 'abort') finish()
    }
    attach()
  })
}
