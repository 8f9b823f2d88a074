import { describe, expect, test } from 'vitest'
import * as Sse from '@/lib/streams/sse'

const channelId = `0x${'ab'.repeat(32)}`
const receipt = `event: payment-receipt\ndata: ${JSON.stringify({ channelId, acceptedCumulative: '3000', spent: '3000' })}\n\n`

function body(...chunks: (string | Error)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream({
    async pull(controller) {
      const next = chunks.shift()
      if (next === undefined) return controller.close()
      if (next instanceof Error) return controller.error(next)
      controller.enqueue(encoder.encode(next))
    },
  })
}

async function collect(stream: ReadableStream<Uint8Array>, options?: Sse.ReadOptions) {
  const events: Sse.Event[] = []
  for await (const event of Sse.read(stream, options)) events.push(event)
  return events
}

async function failure(stream: ReadableStream<Uint8Array>, options?: Sse.ReadOptions): Promise<Sse.StreamError> {
  const events: Sse.Event[] = []
  try {
    for await (const event of Sse.read(stream, options)) events.push(event)
  } catch (error) {
    if (error instanceof Sse.StreamError) return Object.assign(error, { events })
    throw error
  }
  throw new Error('expected the stream to fail')
}

describe('Sse.read', () => {
  test('words split across chunks, multi-line data, need-voucher and the final receipt', async () => {
    const need = JSON.stringify({ channelId, requiredCumulative: '2000', acceptedCumulative: '1000', deposit: '1000000' })
    const events = await collect(
      body('event: message\ndata: {"title":"T"}\n\nevent: mess', 'age\ndata: Two\n\n', `event: payment-need-voucher\ndata: ${need}\n\n`, 'event: message\ndata: \ndata: \n\n', receipt),
    )
    expect(events).toEqual([
      { type: 'message', data: '{"title":"T"}' },
      { type: 'message', data: 'Two' },
      { type: 'need-voucher', channelId, requiredCumulative: 2000n, acceptedCumulative: 1000n, deposit: 1_000_000n },
      { type: 'message', data: '\n' },
      { type: 'receipt', channelId, acceptedCumulative: 3000n, spent: 3000n },
    ])
  })

  test('named application events pass with their name and id; unknown payment-* events are dropped', async () => {
    const events = await collect(body('event: ad\nid: 7\ndata: BUY NOW\n\n', 'event: payment-bonus\ndata: {}\n\n', 'id: 8\ndata: word\n\n', receipt))
    expect(events.slice(0, 2)).toEqual([
      { type: 'message', event: 'ad', id: '7', data: 'BUY NOW' },
      { type: 'message', id: '8', data: 'word' },
    ])
    expect(events.map((e) => e.type)).toEqual(['message', 'message', 'receipt'])
  })

  test('a huge event stops the stream', async () => {
    const error = await failure(body(`event: message\ndata: ${'x'.repeat(70_000)}\n\n`, receipt))
    expect(error.code).toBe('too-large')
    expect(error.message).toBe('The stream sent an event larger than 64 KiB.')
  })

  test('a need-voucher event that is not JSON, or lacks its amounts, stops the stream before any signature', async () => {
    expect((await failure(body('event: payment-need-voucher\ndata: {oops\n\n'))).message).toBe(
      'The site sent a payment-need-voucher event that is not JSON.',
    )
    const negative = JSON.stringify({ channelId, requiredCumulative: '-5', acceptedCumulative: '0', deposit: '1' })
    expect((await failure(body(`event: payment-need-voucher\ndata: ${negative}\n\n`))).code).toBe('malformed')
    const noChannel = JSON.stringify({ requiredCumulative: '5', acceptedCumulative: '0', deposit: '1' })
    expect((await failure(body(`event: payment-need-voucher\ndata: ${noChannel}\n\n`))).message).toContain('without a channel id')
  })

  test('a mid-stream disconnect, or an end without the receipt, is a broken stream', async () => {
    const cut = await failure(body('event: message\ndata: one\n\n', new Error('socket hang up')))
    expect(cut.code).toBe('disconnected')
    expect((cut as Sse.StreamError & { events: Sse.Event[] }).events).toEqual([{ type: 'message', data: 'one' }])
    expect((await failure(body('event: message\ndata: one\n\n'))).message).toBe('The stream ended before the site sent its final receipt.')
  })
  test('a reader that stops early (the cap, Stop, a refusal) cancels the site’s body, so the site sees it leave', async () => {
    let cancelled: unknown = 'not cancelled'
    const endless = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new TextEncoder().encode('event: message\ndata: word\n\n')),
      cancel: (reason) => void (cancelled = reason),
    })
    for await (const event of Sse.read(endless)) {
      expect(event).toEqual({ type: 'message', data: 'word' })
      break
    }
    expect(cancelled).toBeUndefined()
  })
})
