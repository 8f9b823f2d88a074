/**
 * Paid images, video and audio: an `<img>`, `<video>` or `<audio>` whose URL
 * answers 402 fails to load. The isolated content script hears the error,
 * asks the background whether the browser saw that URL answer this tab a
 * 402 with a payment challenge (`page.paymentSeen`), and only then asks it
 * to pay that URL and shows the paid bytes through a blob URL. The page's
 * markup is all it takes. Any other broken element (a 404, a blocked
 * tracker) is the page's own: no port, no notice, no payment code loaded.
 */
import type { Browser } from 'wxt/browser'
import type { PaidRequest, RequestCommand, RequestReport } from '@/lib/protocol/requestPort'
import { keepaliveMs, type RelayNotices, silentNotices } from './handOvers'

/** A paid clip or image is shown whole; larger media are left to the site. */
export const maxMediaBytes = 20 * 1024 * 1024

/** Set on an element once Drip paid and showed it (a site that was approved); an element Drip did not pay is left unmarked. */
export const paidAttribute = 'data-drip-paid'

/** The challenge of a 402 the browser saw this tab get for `url`, or null (`page.paymentSeen`). */
export type MediaPaymentSeen = (url: string) => Promise<string | null>

export function payForMedia(document: Document, connect: () => Browser.runtime.Port, paymentSeen: MediaPaymentSeen, notices: RelayNotices = silentNotices) {
  // Elements already tried, kept outside the page's DOM: a broken image on a page that never pays carries no mark of Drip.
  const tried = new WeakSet<Element>()
  document.addEventListener(
    'error',
    (event) => {
      const element = event.target
      const media = element instanceof HTMLSourceElement ? element.parentElement : element
      if (!(media instanceof HTMLImageElement || media instanceof HTMLMediaElement) || tried.has(media)) return
      const url = element instanceof HTMLSourceElement ? element.src : media instanceof HTMLImageElement ? media.currentSrc || media.src : media.currentSrc || media.src
      if (!/^https?:/.test(url)) return
      tried.add(media)
      void paidIfSeen(url, paymentSeen, connect, notices).then((blob) => {
        if (!blob) return
        media.setAttribute(paidAttribute, 'paid')
        const objectUrl = URL.createObjectURL(blob)
        if (media instanceof HTMLImageElement) {
          media.srcset = ''
          media.src = objectUrl
        } else {
          for (const source of media.querySelectorAll('source')) source.remove()
          media.src = objectUrl
          media.load()
        }
      })
    },
    true,
  )
}

/** Only a URL the browser saw answered 402 with a payment challenge is handed to the background to pay. */
async function paidIfSeen(url: string, paymentSeen: MediaPaymentSeen, connect: () => Browser.runtime.Port, notices: RelayNotices): Promise<Blob | undefined> {
  const challenge = await paymentSeen(url).catch(() => null)
  return challenge === null ? undefined : fetchPaid(url, connect, notices)
}

/** The paid body of `url` through the background, or undefined when Drip did not pay it. */
function fetchPaid(url: string, connect: () => Browser.runtime.Port, notices: RelayNotices): Promise<Blob | undefined> {
  return new Promise((resolve) => {
    const port = connect()
    const chunks: Uint8Array<ArrayBuffer>[] = []
    let size = 0
    let type = ''
    let ok = false
    let waited: string | undefined
    // Holds Chrome's worker while the clip waits for the reader's approval or downloads.
    const keepalive = setInterval(() => port.postMessage({ type: 'keepalive' } satisfies RequestCommand), keepaliveMs)
    const done = (blob: Blob | undefined) => {
      clearInterval(keepalive)
      port.disconnect()
      resolve(blob)
    }
    port.onMessage.addListener((report: RequestReport) => {
      if (report.type === 'waiting') return notices.waiting((waited = report.message))
      if (report.type === 'unpaid') notices.unpaid(report.message, report.outcome)
      if (report.type === 'unpaid' || report.type === 'error' || report.type === 'failed') return done(undefined)
      if ((report.type === 'head' || report.type === 'whole') && waited) notices.carriedOn(waited)
      if (report.type === 'head' || report.type === 'whole') {
        ok = report.status >= 200 && report.status < 300
        type = new Headers(report.headers).get('content-type') ?? ''
        if (!ok) return done(undefined)
      }
      if (report.type === 'body' || report.type === 'whole') {
        const bytes = report.bytes
        size += bytes.byteLength
        if (size > maxMediaBytes) return done(undefined)
        chunks.push(bytes)
      }
      if (report.type === 'end' || report.type === 'whole') {
        port.postMessage({ type: 'received' } satisfies RequestCommand)
        done(ok ? new Blob(chunks, { type }) : undefined)
      }
    })
    port.onDisconnect.addListener(() => {
      clearInterval(keepalive)
      resolve(undefined)
    })
    const request: PaidRequest = { url, method: 'GET', headers: [['accept', '*/*']], body: null, credentials: 'include', wwwAuthenticate: null, media: true }
    port.postMessage({ type: 'start', request } satisfies RequestCommand)
  })
}
