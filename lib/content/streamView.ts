/**
 * Renders a declared paid stream (`<div data-mpp-stream="/path">fallback</div>`)
 * in place: the fallback stays until the first paid word, then words appear
 * as they arrive. The element's `data-mpp-state` says where it stands.
 */
import type { Browser } from 'wxt/browser'
import type { StreamCommand, StreamReport } from '@/lib/protocol/streamPort'
import { formatDollars } from '@/lib/shared/amounts'
import { documentView } from './documentView'
import { mount } from './overlay'

/** Chrome ends an idle MV3 worker after 30 s; a message on the port keeps it alive while a stream runs. */
export const keepaliveMs = 20_000

/** Reconnections in a row after a lost port (the worker was ended) with no word between them, before giving up. */
export const maxReconnects = 3

/**
 * Streams into `element` over ports from `connect`. If the port is lost
 * mid-stream (Chrome ended the worker), or the site breaks the stream off
 * after words arrived, it reconnects and resumes after the words already
 * shown, so nothing is paid twice.
 */
export type StreamHeader = { title?: string; author?: string }

export function render(element: HTMLElement, connect: () => Browser.runtime.Port, onHeader?: (header: StreamHeader) => void) {
  let port: Browser.runtime.Port
  const send = (command: StreamCommand) => {
    try {
      port.postMessage(command)
    } catch {
      // The port is gone; its onDisconnect decides what happens next.
    }
  }
  const overlay = mount(element, {
    onPause: () => send({ type: 'pause' }),
    onResume: () => send({ type: 'resume' }),
    onStop: () => send({ type: 'stop' }),
  })
  const keepalive = setInterval(() => send({ type: 'keepalive' }), keepaliveMs)
  let words = 0
  let cleared = false
  let ended = false
  let reconnects = 0
  const setState = (state: string) => element.setAttribute('data-mpp-state', state)
  const finish = (state: string, message: string, tone: 'info' | 'error') => {
    ended = true
    clearInterval(keepalive)
    setState(state)
    overlay.notice(message, tone)
    overlay.finished()
    port.disconnect()
  }
  setState('connecting')

  /** `resumeFrom`: a stream the site broke off resumes even at 0 words (its first unit is offered again, not paid again). */
  const reconnect = (notice: string, resumeFrom = words || undefined) => {
    reconnects++
    setState('reconnecting')
    overlay.notice(notice, 'info')
    setTimeout(() => attach(resumeFrom), 300 * reconnects)
  }

  const attach = (resumeFrom: number | undefined) => {
    port = connect()
    const wordsAtAttach = words
    /** Set when this connection is given up on purpose, so its disconnect starts nothing. */
    let retired = false
    let firstOfConnection = true
    /** The fallback goes at the first paid content. */
    const clear = () => {
      if (cleared) return
      cleared = true
      element.replaceChildren()
    }
    port.onMessage.addListener((report: StreamReport) => {
      if (report.type === 'messages') {
        // Named events are the page's business (its own EventSource listeners), not words to show.
        const shown = report.messages.filter((message) => message.event === undefined)
        const last = shown.at(-1)
        if (!last) return
        clear()
        setState('streaming')
        // A chunk's words go into the page as one fragment, with one count and one overlay update.
        const fragment = document.createDocumentFragment()
        let previous = element.lastChild
        const before = words
        for (const message of shown) {
          const first = firstOfConnection
          firstOfConnection = false
          // Every connection opens with the stream's JSON header, which the page already shows.
          if (first && isHeader(message.data)) onHeader?.(headerOf(message.data))
          else {
            previous = fragment.appendChild(wordNode(message.data, previous))
            words++
          }
        }
        element.append(fragment)
        if (words > before) {
          element.setAttribute('data-mpp-words', String(words))
          // The stream is moving again: a later loss of the worker gets its own reconnections.
          reconnects = 0
        }
        return overlay.progress(words, formatDollars(last.signed), formatDollars(last.remaining))
      }
      if (report.type === 'document') {
        firstOfConnection = false
        clear()
        setState('streaming')
        element.replaceChildren(documentView(report.contentType, report.body))
        return overlay.progress(words, formatDollars(report.signed), formatDollars(report.remaining))
      }
      if (report.type === 'waiting') {
        setState('waiting')
        return overlay.notice(report.message, 'info')
      }
      if (report.type === 'end') {
        // The site broke the stream off after this connection paid or showed words (a server error mid-stream, or
        // mppx's server losing a stream's reserved coverage to another tab's photo): read on after the words already
        // shown, as a lost worker does. Nothing is paid twice: the resume re-offers what was signed and the site
        // resends from Last-Event-ID.
        const paidThisConnection = words > wordsAtAttach || BigInt(report.signed) > 0n
        if (report.reason === 'broken' && paidThisConnection && reconnects < maxReconnects) {
          retired = true
          port.disconnect()
          return reconnect(words ? `The site broke the stream off after ${words} words; reading on…` : 'The site broke the stream off before its first word; trying again…', words)
        }
        return finish(report.reason, report.message, report.reason === 'complete' || report.reason === 'stopped' ? 'info' : 'error')
      }
      // pending, locked or refused: nothing was paid, and the fallback stays.
      finish(report.type, report.message, report.type === 'pending' ? 'info' : 'error')
    })
    port.onDisconnect.addListener(() => {
      if (ended || retired) return
      if (reconnects < maxReconnects) return reconnect(`Reconnecting to Drip after ${words} words…`)
      ended = true
      clearInterval(keepalive)
      setState('broken')
      overlay.notice('Lost the connection to Drip; the stream stopped. Reload the page to read on.', 'error')
      overlay.finished()
    })
    send({ type: 'start', url: element.getAttribute('data-mpp-stream') ?? '', ...(resumeFrom !== undefined ? { resumeFrom } : {}) })
  }
  attach(undefined)
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

/** A word as the node that follows `previous`: a line break, or text with a space before it unless it starts a line. */
function wordNode(word: string, previous: ChildNode | null): ChildNode {
  if (word === '\n') return document.createElement('br')
  return document.createTextNode(previous && previous.nodeName !== 'BR' ? ` ${word}` : word)
}

/** The title and author a stream's header names, as plain strings (bounded), when it names them. */
function headerOf(data: string): StreamHeader {
  const value = JSON.parse(data) as Record<string, unknown>
  const text = (field: unknown) => (typeof field === 'string' && field.trim() ? field.trim().slice(0, 200) : undefined)
  return { title: text(value.title), author: text(value.author) }
}

/**
 * A stream that waited for the reader's approval starts again once the site
 * is approved: its notice goes, and it renders as on a fresh page.
 */
export function restartPending(element: HTMLElement, connect: () => Browser.runtime.Port, onHeader?: (header: StreamHeader) => void) {
  if (element.getAttribute('data-mpp-state') !== 'pending') return
  const overlay = element.previousElementSibling
  if (overlay?.localName === 'drip-stream-overlay') overlay.remove()
  element.removeAttribute('data-mpp-state')
  render(element, connect, onHeader)
}
