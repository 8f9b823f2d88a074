/**
 * Renders a declared paid stream (`<div data-mpp-stream="/path">fallback</div>`)
 * in place: the fallback stays until the first paid word, then words appear
 * as they arrive. The element's `data-mpp-state` says where it stands.
 */
import type { Browser } from 'wxt/browser'
import { mount } from '@/components/streamOverlay'
import type { StreamCommand, StreamReport } from './messaging'
import { usd } from './policy'

/** Chrome ends an idle MV3 worker after 30 s; a message on the port keeps it alive while a stream runs. */
export const keepaliveMs = 20_000

export function render(element: HTMLElement, port: Browser.runtime.Port) {
  const send = (command: StreamCommand) => {
    try {
      port.postMessage(command)
    } catch {
      // The port is gone; the state below already says so.
    }
  }
  const overlay = mount(element, {
    onPause: () => send({ type: 'pause' }),
    onResume: () => send({ type: 'resume' }),
    onStop: () => send({ type: 'stop' }),
  })
  const keepalive = setInterval(() => send({ type: 'keepalive' }), keepaliveMs)
  let words = 0
  let first = true
  let ended = false
  const setState = (state: string) => element.setAttribute('data-mpp-state', state)
  setState('connecting')

  port.onMessage.addListener((report: StreamReport) => {
    if (report.type === 'message') {
      if (first) {
        first = false
        element.replaceChildren()
        setState('streaming')
        if (isHeader(report.data)) return overlay.progress(words, usd(BigInt(report.signed)), usd(BigInt(report.cap)))
      }
      appendWord(element, report.data)
      words++
      element.setAttribute('data-mpp-words', String(words))
      overlay.progress(words, usd(BigInt(report.signed)), usd(BigInt(report.cap)))
      return
    }
    if (report.type === 'waiting') {
      setState('waiting')
      return overlay.notice(report.message, 'info')
    }
    if (report.type === 'end') {
      ended = true
      clearInterval(keepalive)
      setState(report.reason)
      overlay.notice(report.message, report.reason === 'complete' || report.reason === 'stopped' ? 'info' : 'error')
      overlay.finished()
      port.disconnect()
      return
    }
    // pending, locked or refused: nothing was paid, and the fallback stays.
    ended = true
    clearInterval(keepalive)
    setState(report.type)
    overlay.notice(report.message, report.type === 'pending' ? 'info' : 'error')
    overlay.finished()
    port.disconnect()
  })
  port.onDisconnect.addListener(() => {
    clearInterval(keepalive)
    if (ended) return
    setState('broken')
    overlay.notice('Lost the connection to Drip; the stream stopped. Reload the page to read on.', 'error')
    overlay.finished()
  })
  send({ type: 'start', url: element.getAttribute('data-mpp-stream') ?? '' })
}

/** The seed streams open with a JSON header (title, author) that the page already shows. */
function isHeader(data: string): boolean {
  if (!data.startsWith('{')) return false
  try {
    return typeof JSON.parse(data) === 'object'
  } catch {
    return false
  }
}

function appendWord(element: HTMLElement, word: string) {
  if (word === '\n') return void element.append(document.createElement('br'))
  const last = element.lastChild
  element.append(document.createTextNode(last && last.nodeName !== 'BR' ? ` ${word}` : word))
}
