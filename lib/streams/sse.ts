/**
 * Reads a paid SSE stream into the events Drip acts on. Parsing is
 * eventsource-parser's; this module bounds event size, validates payment
 * events before anything is signed for them, and treats a stream that ends
 * without its closing receipt as broken.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser'
import type { Hex } from 'viem'

export type Event =
  /** An application event: `event` is its name when the site gave one, `id` its id. */
  | { type: 'message'; data: string; event?: string; id?: string }
  | { type: 'need-voucher'; channelId: Hex; requiredCumulative: bigint; acceptedCumulative: bigint; deposit: bigint }
  | { type: 'receipt'; channelId: Hex; acceptedCumulative: bigint; spent: bigint }

export type StreamErrorCode = 'too-large' | 'malformed' | 'disconnected'

export class StreamError extends Error {
  override name = 'StreamError'
  constructor(
    readonly code: StreamErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** No single word, header or payment event needs more than this. */
export const defaultMaxEventBytes = 64 * 1024

export type ReadOptions = { maxEventBytes?: number; signal?: AbortSignal }

/** Yields events as they arrive; throws StreamError on oversized or malformed events and on a cut stream. */
export async function* read(body: ReadableStream<Uint8Array>, options: ReadOptions = {}): AsyncGenerator<Event> {
  const queue: Event[] = []
  let failure: StreamError | undefined
  let sawReceipt = false
  const maxEventBytes = options.maxEventBytes ?? defaultMaxEventBytes
  const tooLarge = () => new StreamError('too-large', `The stream sent an event larger than ${Math.round(maxEventBytes / 1024)} KiB.`)
  const parser = createParser({
    // Bounds partial lines still being received; whole events are measured below.
    maxBufferSize: maxEventBytes,
    onEvent(message) {
      if (failure) return
      if (message.data.length > maxEventBytes) {
        failure = tooLarge()
        return
      }
      try {
        const event = classify(message)
        if (event) {
          if (event.type === 'receipt') sawReceipt = true
          queue.push(event)
        }
      } catch (error) {
        failure = error as StreamError
      }
    },
    onError(error) {
      if (error.type === 'max-buffer-size-exceeded') failure ??= tooLarge()
    },
  })
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader()
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<string>
      try {
        chunk = await reader.read()
      } catch (error) {
        if (options.signal?.aborted) return
        throw new StreamError('disconnected', `The stream broke off: ${(error as Error).message}`)
      }
      if (chunk.done) break
      parser.feed(chunk.value)
      while (queue.length) yield queue.shift()!
      if (failure) throw failure
    }
  } finally {
    // The body is piped into the decoder, so only cancelling the reader reaches it: the site sees the reader leave
    // (at the cap, on Stop, on a refusal) instead of holding the connection while it waits for a voucher.
    await reader.cancel().catch(() => undefined)
  }
  parser.feed('\n\n')
  while (queue.length) yield queue.shift()!
  if (failure) throw failure
  if (!sawReceipt) throw new StreamError('disconnected', 'The stream ended before the site sent its final receipt.')
}

/**
 * Application events (named or not) pass through; payment events are
 * checked; other `payment-*` events are dropped. WebSocket sessions carry
 * the same payment events in their frames (`socketFrames.ts`).
 */
export function classify(message: Pick<EventSourceMessage, 'data' | 'event' | 'id'>): Event | undefined {
  const type = message.event ?? 'message'
  if (!type.startsWith('payment-'))
    return { type: 'message', data: message.data, ...(type !== 'message' ? { event: type } : {}), ...(message.id !== undefined ? { id: message.id } : {}) }
  if (type === 'payment-need-voucher') {
    const data = json(message.data, 'payment-need-voucher')
    return {
      type: 'need-voucher',
      channelId: hash(data.channelId, 'payment-need-voucher'),
      requiredCumulative: amount(data.requiredCumulative, 'requiredCumulative'),
      acceptedCumulative: amount(data.acceptedCumulative, 'acceptedCumulative'),
      deposit: amount(data.deposit, 'deposit'),
    }
  }
  if (type === 'payment-receipt') {
    const data = json(message.data, 'payment-receipt')
    return {
      type: 'receipt',
      channelId: hash(data.channelId, 'payment-receipt'),
      acceptedCumulative: amount(data.acceptedCumulative, 'acceptedCumulative'),
      spent: amount(data.spent, 'spent'),
    }
  }
  return undefined
}

function json(data: string, event: string): Record<string, unknown> {
  try {
    const value = JSON.parse(data)
    if (value && typeof value === 'object') return value
  } catch {}
  throw new StreamError('malformed', `The site sent a ${event} event that is not JSON.`)
}

function amount(value: unknown, field: string): bigint {
  if (typeof value !== 'string' || !/^\d{1,29}$/.test(value)) throw new StreamError('malformed', `The site sent a payment event whose ${field} is not an amount.`)
  return BigInt(value)
}

function hash(value: unknown, event: string): Hex {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(value)) throw new StreamError('malformed', `The site sent a ${event} event without a channel id.`)
  return value as Hex
}

/** One application event as SSE text, the way the site framed it: name, id, then one `data:` field per line. */
export function format(event: { data: string; event?: string; id?: string }): string {
  const name = event.event === undefined ? '' : `event: ${event.event}\n`
  const id = event.id === undefined ? '' : `id: ${event.id}\n`
  return `${name}${id}${event.data
    .split('\n')
    .map((line) => `data: ${line}\n`)
    .join('')}\n`
}
