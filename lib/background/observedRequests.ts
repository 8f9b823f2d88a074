/**
 * Which of a tab's requests Drip's `webRequest` observation hears
 * (`ObservedChallenges`, `SeenResponses`): only the kinds Drip can pay, a
 * page's `fetch` and XHR, `EventSource` (`other` or XHR, by browser),
 * `WebSocket`, images and media, and documents. A style sheet, a script or
 * a font is never paid, so the browser neither wakes Drip's worker nor
 * copies its headers for one.
 */
import type { Browser } from 'wxt/browser'

/** The kinds both browsers name; Firefox also names `imageset` (an `<img srcset>` or `<picture>`). */
const payableTypes = ['main_frame', 'sub_frame', 'xmlhttprequest', 'other', 'websocket', 'image', 'media'] as const

export function observedRequestFilter(firefox: boolean): Browser.webRequest.RequestFilter {
  const types = firefox ? [...payableTypes, 'imageset'] : [...payableTypes]
  return { urls: ['<all_urls>'], types: types as Browser.webRequest.RequestFilter['types'] }
}
