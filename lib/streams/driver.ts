/**
 * The background's side of one paid stream: the first unit is paid like any
 * 402 (open or voucher), then each `payment-need-voucher` is answered as the
 * lookahead rule allows (`lookahead.ts`). A site that asks for more than it
 * delivered gets no signature and the stream stops. Every voucher goes
 * through the payer, which reads the approval and the lock as they are then:
 * Revoke, Lock or a lower cap end the stream at its next voucher.
 */
import type { StreamEndReason, StreamProgress, StreamUpdate } from '@/lib/protocol/streamPort'
import { formatDollars, type RawAmount } from '@/lib/shared/amounts'
import { readTextBounded } from '@/lib/shared/http'
import type * as Challenge from '@/lib/payments/challenge'
import type { Ledger } from '@/lib/payments/ledger'
import type { Payer } from '@/lib/payments/payer'
import type * as Policy from '@/lib/payments/policy'
import * as Lookahead from './lookahead'
import * as Sse from './sse'

/** A paid page shown in place is a photo URL or a short text, not a download. */
export const maxDocumentBytes = 1024 * 1024

export type StreamDeps = { payer: Payer; ledger: Ledger; fetch: typeof globalThis.fetch }

export type StreamArgs = {
  origin: string
  url: string
  challenge: Challenge.SessionChallenge
  approval: Policy.Approval
  /** Units signed beyond what was delivered, to save round trips. 0 signs exactly what each request asks. */
  lookaheadUnits: number
  signal: AbortSignal
  /** Words the reader already has from an earlier connection: the site resumes after them. */
  resumeFrom?: number
  /** Resolves when the reader has not paused; awaited before every voucher. */
  whenRunning?: () => Promise<void>
}

export type StreamEnd = StreamUpdate & { type: 'end' }

export async function run(deps: StreamDeps, args: StreamArgs, emit: (update: StreamUpdate) => void): Promise<StreamEnd> {
  const { origin, url, challenge, approval } = args
  const price = challenge.amount
  const cap = BigInt(approval.maxDeposit)
  const position: Lookahead.StreamPosition = { base: 0n, price, delivered: 0, lookaheadUnits: args.lookaheadUnits, cap }
  let signed = 0n
  let channelId: `0x${string}` | undefined
  const state = (): StreamProgress => ({
    messages: position.delivered,
    signed: (signed - position.base).toString(),
    remaining: (cap > signed ? cap - signed : 0n).toString(),
    cap: cap.toString(),
  })
  const end = async (reason: StreamEndReason, message: string): Promise<StreamEnd> => {
    const update = { type: 'end' as const, reason, message, ...state() }
    // One ledger line per stream, not per word: the ledger is no place for a hot path.
    await deps.ledger.append({
      origin,
      kind: reason === 'refused' ? 'refused' : 'voucher',
      channelId,
      cumulative: channelId ? signed.toString() : undefined,
      amount: (signed - position.base).toString(),
      detail: `Stream ${new URL(url).pathname}: ${message}`,
    })
    emit(update)
    return update
  }
  const sign = async (cumulative: RawAmount) => {
    const now = await deps.payer.voucher(origin, challenge, cumulative, url)
    if (now > signed) signed = now
  }

  let response: Response
  try {
    const paid = await deps.payer.pay(origin, challenge, url)
    channelId = paid.channelId
    signed = paid.cumulative
    position.base = signed - price
    const resume: Record<string, string> = args.resumeFrom ? { 'last-event-id': String(args.resumeFrom) } : {}
    response = await deps.fetch(url, { headers: { authorization: paid.authorization, accept: 'text/event-stream', ...resume }, signal: args.signal })
  } catch (error) {
    if (args.signal.aborted) return end('stopped', 'Stopped before the stream began.')
    return end(endReasonOf(error), (error as Error).message)
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel()
    return end('broken', `${origin} answered HTTP ${response.status} instead of the stream.`)
  }
  const contentType = response.headers.get('content-type') ?? ''
  if (!contentType.startsWith('text/event-stream')) {
    let body: string
    try {
      body = await readTextBounded(response, maxDocumentBytes)
    } catch (error) {
      return end('broken', `${origin}: ${(error as Error).message}`)
    }
    emit({ type: 'document', contentType, body, ...state() })
    return end('complete', `Paid ${formatDollars(price)} for this ${challenge.unitType}.`)
  }

  let refill: Promise<void> | undefined
  const refillAhead = () => {
    if (refill || args.signal.aborted) return
    const target = Lookahead.refillTarget(position, signed)
    if (target === undefined) return
    refill = (async () => {
      await args.whenRunning?.()
      if (!args.signal.aborted) await sign(target)
    })()
      // A failed refill is not fatal: the site asks with payment-need-voucher, and that path reports errors.
      .catch(() => undefined)
      .finally(() => (refill = undefined))
  }

  try {
    for await (const event of Sse.read(response.body, { signal: args.signal })) {
      if (event.type === 'message') {
        position.delivered++
        emit({ type: 'message', data: event.data, ...state() })
        refillAhead()
      } else if (event.type === 'need-voucher') {
        await refill
        await args.whenRunning?.()
        if (args.signal.aborted) break
        const answer = Lookahead.answerNeedVoucher(position, event.requiredCumulative)
        if (answer.kind === 'ahead')
          return await end(
            'refused',
            `${origin} asked for ${formatDollars(event.requiredCumulative - position.base)} after delivering ${position.delivered} messages (at most ${formatDollars(answer.earned - position.base)} is due). Drip stopped paying this stream.`,
          )
        if (answer.kind === 'cap') return await end('cap', `Reached the ${formatDollars(cap)} you approved for ${origin}. Raise the approval in Drip to read on.`)
        await sign(answer.cumulative)
      }
      // A receipt's figures are the site's claim: Drip shows what it signed, never what a receipt says.
    }
  } catch (error) {
    await refill
    if (args.signal.aborted) return end('stopped', `Stopped after ${position.delivered} messages.`)
    if (error instanceof Sse.StreamError) return end('broken', error.message)
    return end(endReasonOf(error), (error as Error).message)
  }
  await refill
  if (args.signal.aborted) return end('stopped', `Stopped after ${position.delivered} messages.`)
  return end('complete', `${position.delivered} messages, ${formatDollars(signed)} signed in total on this channel.`)
}

function endReasonOf(error: unknown): StreamEndReason {
  return error instanceof Error && 'code' in error && error.code === 'cap' ? 'cap' : 'refused'
}
