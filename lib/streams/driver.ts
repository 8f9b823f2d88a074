/**
 * The background's side of one paid stream's connection: the first unit is
 * paid like any 402 (open or voucher, offered again on a resume), the stream
 * is requested with it, and its events go to the metering (`metering.ts`).
 * A paid page that is not a stream is shown whole.
 */
import type { StreamEndReason, StreamUpdate } from '@/lib/protocol/streamPort'
import { formatDollars } from '@/lib/shared/amounts'
import { readTextBounded } from '@/lib/shared/http'
import * as Challenge from '@/lib/payments/challenge'
import * as Policy from '@/lib/payments/policy'
import { type Connection, endReasonOf, finish, meter, progressAt, type StreamArgs, type StreamDeps, type StreamEnd } from './metering'

export { type Connection, meter, meterEvents, type StreamArgs, type StreamDeps, type StreamEnd, type VoucherDelivery } from './metering'

/** A paid page shown in place is a photo URL or a short text, not a download. */
export const maxDocumentBytes = 1024 * 1024

export async function run(deps: StreamDeps, args: StreamArgs, emit: (update: StreamUpdate) => void): Promise<StreamEnd> {
  const { origin, url } = args
  let challenge = args.challenge
  const price = challenge.amount
  const before = (reason: StreamEndReason, message: string) => finish(deps, args, emit, { reason, message, progress: progressAt(args, 0, 0n, 0n) })
  const after = (reason: StreamEndReason, message: string) =>
    finish(deps, args, emit, { reason, message, progress: progressAt(args, 0, price, connection.cumulative), channel: connection })
  let connection: Connection
  try {
    const resume: Record<string, string> = args.resumeFrom ? { 'last-event-id': String(args.resumeFrom) } : {}
    const connect = async (reoffer: boolean): Promise<Connection> => {
      const paid = await deps.payer.pay(origin, challenge, url, { reoffer })
      args.onSigned?.(paid.added)
      const response = await deps.fetch(url, { headers: { authorization: paid.authorization, accept: 'text/event-stream', ...resume }, signal: args.signal })
      return { response, channelId: paid.channelId, cumulative: paid.cumulative }
    }
    // Resuming: the unit signed for the word that was lost in flight may still be unspent at the site.
    connection = await connect(args.resumeFrom !== undefined)
    if (connection.response.status === 402 && args.resumeFrom !== undefined) {
      await connection.response.body?.cancel()
      connection = await connect(false)
    } else if (connection.response.status === 402 && args.reusedChallenge) {
      // The site no longer takes the kept challenge (expired, or a new server key): the unit just signed was not
      // spent, so it is offered again, unchanged, on the challenge the site sends now.
      const current = Challenge.parse(connection.response.headers.get('www-authenticate'))
      await connection.response.body?.cancel()
      Policy.assertSameSession(current, challenge, origin)
      challenge = current
      args.onCurrentChallenge?.(current)
      connection = await connect(true)
    }
  } catch (error) {
    if (args.signal.aborted) return before('stopped', 'Stopped before the stream began.')
    return before(endReasonOf(error), (error as Error).message)
  }
  const { response } = connection
  if (!response.ok || !response.body) {
    await response.body?.cancel()
    return after('broken', `${origin} answered HTTP ${response.status} instead of the stream.`)
  }
  const contentType = response.headers.get('content-type') ?? ''
  if (!isEventStream(response)) {
    let body: string
    try {
      body = await readTextBounded(response, maxDocumentBytes)
    } catch (error) {
      return after('broken', `${origin}: ${(error as Error).message}`)
    }
    emit({ type: 'document', contentType, body, ...progressAt(args, 0, price, connection.cumulative) })
    return after('complete', `Paid ${formatDollars(price)} for this ${challenge.unitType}.`)
  }
  return meter(deps, { ...args, challenge }, connection, emit)
}

export function isEventStream(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').startsWith('text/event-stream')
}
