/**
 * Renders a declared paid stream (`<div data-mpp-stream="/path">fallback</div>`)
 * in place: the fallback stays until the first paid word, then words appear
 * as they arrive. The element's `data-mpp-state` says where it stands.
 */
import type { Browser } from 'wxt/browser'
import { mount } from '@/components/streamOverlay'
import type { StreamCommand, StreamReport } from './messaging'
import { usd } from './policy'

/** Whether this document's own response was a 402 (navigation timing's `responseStatus`). */
export function isPaymentRequiredDocument(performance: Performance): boolean {
  const [navigation] = performance.getEntriesByType('navigation') as (PerformanceNavigationTiming & { responseStatus?: number })[]
  return navigation?.responseStatus === 402
}

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
    if (report.type === 'document') {
      first = false
      element.replaceChildren(documentView(report.contentType, report.body))
      setState('streaming')
      return overlay.progress(words, usd(BigInt(report.signed)), usd(BigInt(report.cap)))
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

/**
 * A paywalled URL opened directly (its document was a 402): Drip pays it if
 * the site is approved and shows the result in place of the 402 page, as a
 * reader view for streams, the image for a JSON photo, text otherwise.
 */
export function renderNavigation(document: Document, port: Browser.runtime.Port) {
  const main = document.createElement('main')
  main.setAttribute('style', 'font: 18px/1.6 Georgia, serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem;')
  const heading = document.createElement('h1')
  heading.setAttribute('style', 'font: 600 20px system-ui, sans-serif')
  heading.textContent = document.location.pathname
  const content = document.createElement('div')
  content.setAttribute('data-mpp-stream', document.location.href)
  content.setAttribute('data-mpp-navigation', '')
  content.textContent = 'This page is paid content.'
  main.append(heading, content)
  const body = document.body ?? document.documentElement.appendChild(document.createElement('body'))
  const previous = [...body.childNodes]
  body.replaceChildren(main)
  render(content, port)
  // Unpaid (pending, refused, locked): put the site's own 402 page back under Drip's notice.
  port.onMessage.addListener((report: StreamReport) => {
    if (report.type === 'pending' || report.type === 'refused' || report.type === 'locked') content.replaceChildren(...previous)
  })
}

function documentView(contentType: string, body: string): Node {
  if (contentType.includes('json')) {
    try {
      const value = JSON.parse(body) as { url?: unknown }
      if (typeof value.url === 'string' && /^https?:/.test(value.url)) {
        const image = document.createElement('img')
        image.src = value.url
        image.alt = 'Paid image'
        image.setAttribute('style', 'max-width: 100%')
        return image
      }
    } catch {}
  }
  const text = document.createElement('pre')
  text.setAttribute('style', 'white-space: pre-wrap')
  text.textContent = body
  return text
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
