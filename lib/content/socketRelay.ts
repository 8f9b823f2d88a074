/**
 * The isolated world's half of paid WebSockets: takes the `MessagePort` the
 * page-world wrapper hands over with a socket and joins it to a
 * `browser.runtime` port to the background. It only forwards: the
 * background takes the origin from the browser and decides everything.
 */
import type { Browser } from 'wxt/browser'
import { isFrameData, isPaidSocket, pageSocketTag, type SocketCommand, type SocketReport } from '@/lib/protocol/socketPort'
import { keepaliveMs, receiveHandOvers, type RelayNotices, silentNotices } from './handOvers'

export function relaySockets(target: Window, connect: () => Browser.runtime.Port, notices: RelayNotices = silentNotices) {
  receiveHandOvers(target, pageSocketTag, (page, received) => {
    const command = received as SocketCommand
    if (command?.type !== 'open' || !isPaidSocket(command.socket)) {
      page.postMessage({ type: 'unpaid', outcome: 'refused', message: 'Drip could not read this socket.' } satisfies SocketReport)
      return page.close()
    }
    const background = connect()
    let open = true
    let waited: string | undefined
    const keepalive = setInterval(() => background.postMessage({ type: 'keepalive' } satisfies SocketCommand), keepaliveMs)
    const finish = () => {
      if (!open) return
      open = false
      clearInterval(keepalive)
      background.disconnect()
      page.close()
    }
    background.onMessage.addListener((report: SocketReport) => {
      // Held for the reader's approval: only the reader hears of it; the page's socket simply opens later.
      if (report.type === 'waiting') return notices.waiting((waited = report.message))
      if (report.type === 'open' && waited) notices.carriedOn(waited)
      if (report.type === 'unpaid') notices.unpaid(report.message, report.outcome)
      page.postMessage(report)
      if (report.type === 'close' || report.type === 'unpaid') finish()
    })
    background.onDisconnect.addListener(() => {
      if (!open) return
      page.postMessage({ type: 'close', code: 1006, reason: 'Drip stopped this socket (its worker was ended, or the wallet locked).', wasClean: false } satisfies SocketReport)
      finish()
    })
    page.onmessage = (message: MessageEvent<SocketCommand>) => {
      const command = message.data
      if (command?.type === 'send' && isFrameData(command.data)) background.postMessage(command)
      if (command?.type === 'close') {
        background.postMessage({ type: 'close' } satisfies SocketCommand)
        finish()
      }
    }
    background.postMessage({ type: 'open', socket: command.socket } satisfies SocketCommand)
  })
}
