/**
 * What Drip says inside a page when it did not pay one of the page's own
 * requests: the reader has not approved the site yet, a budget or the cap
 * refused it, or Drip is locked. The page itself only sees the site's 402,
 * so without this the reader would not know why a paid photo did not come.
 *
 * One small box per document, in a shadow root so the page's styles cannot
 * reach it, fixed at the bottom corner. The same text again counts up
 * instead of stacking; it hides itself after a while and has a Dismiss
 * button. The text comes from Drip's background, never from the page.
 */
import type { RelayNotices } from './handOvers'

export type NoticeTone = 'info' | 'error'

/** How long a notice stays, unless the reader dismisses it first. */
export const noticeMs = 12_000

const tagName = 'drip-page-notice'

const css = `
  :host { all: initial; position: fixed; right: 12px; bottom: 12px; z-index: 2147483647; max-width: min(420px, calc(100vw - 24px)); }
  .box { font: 13px/1.45 system-ui, sans-serif; display: flex; gap: 10px; align-items: flex-start; padding: 8px 10px;
         border-radius: 8px; background: #eef4ff; color: #0b3a8a; border: 1px solid #1f6feb55; box-shadow: 0 2px 8px #0002; }
  .box.error { background: #fff0f0; color: #82071e; border-color: #cf222e55; }
  button { font: inherit; padding: 1px 8px; border-radius: 4px; border: 1px solid currentColor; background: transparent; color: inherit; cursor: pointer; }
  button:focus-visible { outline: 2px solid currentColor; outline-offset: 2px; }
`

type Shown = { host: HTMLElement; text: HTMLSpanElement; box: HTMLDivElement; message: string; count: number; timer: ReturnType<typeof setTimeout> }

const shown = new WeakMap<Document, Shown>()

/** Shows `message` in `doc` for `ms` (or counts it again if it is already showing). */
export function showPageNotice(doc: Document, message: string, tone: NoticeTone, ms = noticeMs) {
  const current = shown.get(doc)
  if (current?.host.isConnected) {
    clearTimeout(current.timer)
    current.count = current.message === message ? current.count + 1 : 1
    current.message = message
    write(current, tone)
    current.timer = setTimeout(() => dismiss(doc), ms)
    return
  }
  // The page removed the last one: its timer must not take the new one down early.
  if (current) clearTimeout(current.timer)
  const host = doc.createElement(tagName)
  const root = host.attachShadow({ mode: 'open' })
  root.innerHTML = `<style>${css}</style><div class="box" role="status" aria-live="polite"><span><strong>Drip:</strong> <span class="text"></span></span><button type="button">Dismiss</button></div>`
  const box = root.querySelector<HTMLDivElement>('.box')!
  const text = root.querySelector<HTMLSpanElement>('.text')!
  root.querySelector('button')!.addEventListener('click', () => dismiss(doc))
  doc.documentElement.append(host)
  const entry: Shown = { host, text, box, message, count: 1, timer: setTimeout(() => dismiss(doc), ms) }
  shown.set(doc, entry)
  write(entry, tone)
}

/**
 * The relays' notices in `doc`: a refusal for the usual while; a waiting
 * request for as long as it waits, taken down when it carried on (unless
 * the notice says something else by then).
 */
export function pageNotices(doc: Document, waitMs: number): RelayNotices {
  return {
    unpaid: (message, outcome) => showPageNotice(doc, message, outcome === 'refused' ? 'error' : 'info'),
    waiting: (message) => showPageNotice(doc, message, 'info', waitMs),
    carriedOn: (waitingMessage) => {
      if (shown.get(doc)?.message === waitingMessage) dismiss(doc)
    },
  }
}

/** Removes the notice from `doc`, if one shows. */
export function dismiss(doc: Document) {
  const current = shown.get(doc)
  if (!current) return
  clearTimeout(current.timer)
  current.host.remove()
  shown.delete(doc)
}

function write(entry: Shown, tone: NoticeTone) {
  const value = entry.count > 1 ? `${entry.message} (${entry.count} times)` : entry.message
  entry.text.textContent = value
  entry.box.classList.toggle('error', tone === 'error')
  // Tests and assistive tech read the text from the host element.
  entry.host.setAttribute('data-text', value)
}
