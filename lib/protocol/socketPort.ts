/**
 * A page's paid WebSocket, held by the background: the page world hands
 * the socket over (through the isolated content script, on a `MessagePort`
 * and then a `browser.runtime` port) once an HTTP probe of its URL answered
 * 402; the background opens the socket, pays in-band (mppx's WebSocket
 * session frames) and relays the site's application messages. The page
 * sees only those; the credential never enters it.
 *
 * Messages are structured clones; binary frames travel as bytes.
 */
import { isBytes } from './bytes'

export const socketPortName = 'drip:socket'

/** The window message that hands a `MessagePort` for one socket from the page world to the content script. */
export const pageSocketTag = 'drip:paid-socket'

export type PaidSocket = {
  /** The `ws:` or `wss:` URL the page opened. */
  url: string
  protocols: string[]
  /** The probe's 402 challenge, as the page read it. */
  wwwAuthenticate: string | null
}

/** A frame's data: text, or bytes. */
export type FrameData = { text: string } | { bytes: Uint8Array<ArrayBuffer> }

/** Page world → content script → background. */
export type SocketCommand =
  | { type: 'open'; socket: PaidSocket }
  | { type: 'send'; data: FrameData }
  | { type: 'close'; code?: number; reason?: string }
  | { type: 'keepalive' }

/** Background → content script → page world. */
export type SocketReport =
  /** Nothing was paid: the page gets the browser's own socket, as without Drip. */
  | { type: 'unpaid'; outcome: 'pending' | 'refused' | 'locked'; message: string }
  /** The site waits for the reader's approval; the socket opens once it comes (for the page notice; the page never sees it). */
  | { type: 'waiting'; message: string }
  | { type: 'open'; protocol: string }
  | { type: 'message'; data: FrameData }
  | { type: 'close'; code: number; reason: string; wasClean: boolean }

/** Bounds on what a page may hand over for one socket. */
export const socketLimits = { urlChars: 4096, protocols: 16, frameBytes: 1024 * 1024 } as const

export function isPaidSocket(value: unknown): value is PaidSocket {
  const candidate = value as PaidSocket
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.url === 'string' &&
    candidate.url.length <= socketLimits.urlChars &&
    Array.isArray(candidate.protocols) &&
    candidate.protocols.length <= socketLimits.protocols &&
    candidate.protocols.every((protocol) => typeof protocol === 'string' && protocol.length <= 256) &&
    (candidate.wwwAuthenticate === null || typeof candidate.wwwAuthenticate === 'string')
  )
}

export function isFrameData(value: unknown): value is FrameData {
  const candidate = value as { text?: unknown; bytes?: unknown }
  return typeof candidate === 'object' && candidate !== null && (typeof candidate.text === 'string' || isBytes(candidate.bytes))
}

/** The http(s) URL a WebSocket session's 402 probe, top-ups and closes go to. */
export function httpUrlOf(socketUrl: URL): URL {
  const url = new URL(socketUrl)
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:'
  return url
}
