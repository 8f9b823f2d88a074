/**
 * A paywalled URL opened directly: its document is the 402 itself. Drip pays
 * it if the site is approved and shows the result in place of the 402 page.
 */
import type { Browser } from 'wxt/browser'
import { render } from './streamView'

/** Whether this document's own response was a 402 (navigation timing's `responseStatus`). */
export function isPaymentRequiredDocument(performance: Performance): boolean {
  const [navigation] = performance.getEntriesByType('navigation') as (PerformanceNavigationTiming & { responseStatus?: number })[]
  return navigation?.responseStatus === 402
}

/**
 * A paywalled URL opened directly (its document was a 402): Drip pays it if
 * the site is approved and shows the result in place of the 402 page, as a
 * reader view for streams, the image for a JSON photo, text otherwise.
 */
export function renderNavigation(document: Document, connect: () => Browser.runtime.Port) {
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
  // The stream's own header names what is being read: show it in place of the bare path.
  render(content, connect, ({ title, author }) => {
    if (title) heading.textContent = author ? `${title} — ${author}` : title
  })
  // Unpaid (pending, refused, locked): put the site's own 402 page back under Drip's notice.
  new MutationObserver((_records, observer) => {
    const state = content.getAttribute('data-mpp-state')
    if (state === 'pending' || state === 'refused' || state === 'locked') content.replaceChildren(...previous)
    if (state && state !== 'connecting' && state !== 'waiting') observer.disconnect()
  }).observe(content, { attributes: true, attributeFilter: ['data-mpp-state'] })
}

