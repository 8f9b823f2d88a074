/**
 * A declared stream's reports to its page, with the messages that arrive
 * together (one chunk of the site's stream, read in one task) sent as one
 * `messages` batch once the task is done: one port message and one DOM
 * update per chunk instead of per word. Any other report first sends the
 * batch before it, so the order holds.
 */
import type { MessageUpdate, StreamReport, StreamUpdate } from '@/lib/protocol/streamPort'

export type Unbatched = StreamUpdate | Exclude<StreamReport, { type: 'messages' }>

export function batchMessages(send: (report: StreamReport) => void, later: (flush: () => void) => void = (flush) => void setTimeout(flush, 0)) {
  let batch: MessageUpdate[] = []
  const flush = () => {
    if (!batch.length) return
    const messages = batch
    batch = []
    send({ type: 'messages', messages })
  }
  return (report: Unbatched) => {
    if (report.type === 'message') {
      if (!batch.length) later(flush)
      batch.push(report)
      return
    }
    flush()
    send(report)
  }
}
