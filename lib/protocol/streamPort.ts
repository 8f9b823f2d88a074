/**
 * Paid streams run over a long-lived `browser.runtime` port, so words can
 * flow and Pause/Stop can reach the background's driver.
 */
import type { RawAmountString } from './views'

export const streamPortName = 'drip:stream'

/**
 * Content script → background. `resumeFrom`: the words the reader already
 * has, after a lost connection (sent to the site as `Last-Event-ID`).
 */
export type StreamCommand =
  | { type: 'start'; url: string; resumeFrom?: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'keepalive' }

/** Signed for this stream, and what the site's approval has left. */
export type StreamProgress = { messages: number; signed: RawAmountString; remaining: RawAmountString; cap: RawAmountString }

export type StreamEndReason = 'complete' | 'stopped' | 'cap' | 'refused' | 'broken'

export type StreamUpdate =
  /** An application event of the stream: its data, and its SSE name and id when the site gave them. */
  | ({ type: 'message'; data: string; event?: string; id?: string } & StreamProgress)
  /** A paid resource that is not a stream (a navigation to a JSON or text URL): its whole body. */
  | ({ type: 'document'; contentType: string; body: string } & StreamProgress)
  | ({ type: 'end'; reason: StreamEndReason; message: string } & StreamProgress)

export type MessageUpdate = StreamUpdate & { type: 'message' }

/**
 * Background → content script. Messages that arrive together (one chunk of
 * the site's stream) travel as one `messages` batch, so the page gets one
 * port message and one DOM update per chunk, not per word.
 */
export type StreamReport =
  | { type: 'pending' | 'locked' | 'refused'; message: string }
  | { type: 'waiting'; message: string }
  | Exclude<StreamUpdate, MessageUpdate>
  | { type: 'messages'; messages: MessageUpdate[] }
