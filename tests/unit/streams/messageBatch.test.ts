import { describe, expect, test } from 'vitest'
import type { StreamReport } from '@/lib/protocol/streamPort'
import { batchMessages } from '@/lib/streams/messageBatch'

const progress = { messages: 0, signed: '1000', remaining: '9000', cap: '10000' }
const message = (data: string) => ({ type: 'message' as const, data, ...progress })

function harness() {
  const sent: StreamReport[] = []
  const scheduled: (() => void)[] = []
  const post = batchMessages(
    (report) => sent.push(report),
    (flush) => scheduled.push(flush),
  )
  const runTask = () => scheduled.splice(0).forEach((flush) => flush())
  return { sent, scheduled, post, runTask }
}

describe('batchMessages: a chunk of words as one report', () => {
  test('messages posted in one task go out together when it is done, with one flush scheduled', () => {
    const { sent, scheduled, post, runTask } = harness()
    post(message('one'))
    post(message('two'))
    post(message('three'))
    expect(sent).toEqual([])
    expect(scheduled).toHaveLength(1)
    runTask()
    expect(sent).toEqual([{ type: 'messages', messages: [message('one'), message('two'), message('three')] }])
  })

  test('any other report sends the waiting batch first, so the end never overtakes a word', () => {
    const { sent, post, runTask } = harness()
    post(message('last'))
    const end = { type: 'end' as const, reason: 'complete' as const, message: 'done', ...progress }
    post(end)
    expect(sent).toEqual([{ type: 'messages', messages: [message('last')] }, end])
    runTask()
    expect(sent).toHaveLength(2)
  })

  test('a report with no messages waiting goes out at once, and a later task starts a new batch', () => {
    const { sent, post, runTask } = harness()
    post({ type: 'waiting', message: 'wait' })
    expect(sent).toEqual([{ type: 'waiting', message: 'wait' }])
    post(message('a'))
    runTask()
    post(message('b'))
    runTask()
    expect(sent.slice(1)).toEqual([
      { type: 'messages', messages: [message('a')] },
      { type: 'messages', messages: [message('b')] },
    ])
  })
})
