/**
 * The metering of one paid stream, whatever carries it (SSE, or a
 * WebSocket's frames): each `payment-need-voucher` is answered as the
 * lookahead rule allows (`lookahead.ts`), and a site that asks for more than
 * it delivered gets no signature and the stream stops. Every voucher goes
 * through the payer, which reads the approval and the lock as they are then:
 * Revoke, Lock or a lower cap end the stream at its next voucher. The
 * stream's first unit and its connection are `driver.ts`'s.
 */
import type { StreamEndReason, StreamProgress, StreamUpdate } from '@/lib/protocol/streamPort'
import { formatDollars, formatLimit, type RawAmount } from '@/lib/shared/amounts'
import type * as Challenge from '@/lib/payments/challenge'
import type { Ledger } from '@/lib/payments/ledger'
import type { Payer } from '@/lib/payments/payer'
import * as Policy from '@/lib/payments/policy'
import { UndeliveredVoucherError } from '@/lib/payments/undeliveredVoucher'
import * as Lookahead from './lookahead'
import * as Sse from './sse'

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
  /**
   * `challenge` was kept from an earlier stream (`freshChallenges.ts`), not
   * just read: a 402 to the first request is the site asking for its current
   * challenge, on which the same unit is offered again.
   */
  reusedChallenge?: boolean
  /** Told the site's current challenge when it replaced a reused one. */
  onCurrentChallenge?: (challenge: Challenge.SessionChallenge) => void
  /** Told each amount signed for this stream (0 for a unit offered again is not told): the tab's tally (`tabSpend.ts`). */
  onSigned?: (amount: RawAmount) => void
}

export type StreamEnd = StreamUpdate & { type: 'end' }

/** A paid response and the channel state its credential left: `cumulative` includes the first unit. */
export type Connection = { response: Response; channelId: `0x${string}`; cumulative: RawAmount }

/**
 * Meters one paid SSE response: counts what it delivers, answers each
 * `payment-need-voucher` as the lookahead rule allows, and emits the
 * application events. The site's payment events never reach `emit`.
 */
export async function meter(deps: StreamDeps, args: StreamArgs, connection: Connection, emit: (update: StreamUpdate) => void): Promise<StreamEnd> {
  const body = connection.response.body
  if (!body) return finish(deps, args, emit, { reason: 'broken', message: `${args.origin} sent no stream.`, progress: progressAt(args, 0, args.challenge.amount, connection.cumulative), channel: connection })
  return meterEvents(deps, args, connection, Sse.read(body, { signal: args.signal }), emit)
}

/**
 * Vouchers go to the site as mppx's management POST to the stream's URL,
 * or in-band (a WebSocket's authorization frame): `sign` builds the
 * credential for the challenge the site currently holds.
 */
export type VoucherDelivery = (sign: (challenge: Challenge.SessionChallenge) => Promise<string>) => Promise<void>

/**
 * The metering itself, over a paid stream's events from any transport
 * (SSE, or a WebSocket's frames): `start` is the channel state the first
 * unit's credential left; `deliver` sends each voucher (default: POST).
 */
export async function meterEvents(
  deps: StreamDeps,
  args: StreamArgs,
  start: Omit<Connection, 'response'>,
  events: AsyncIterable<Sse.Event>,
  emit: (update: StreamUpdate) => void,
  deliver?: VoucherDelivery,
): Promise<StreamEnd> {
  const connection = start
  const { origin, url, challenge, approval } = args
  const price = challenge.amount
  const cap = Policy.channelCap(approval)
  /**
   * `base` is what the channel carries besides this stream (earlier pages,
   * other tabs' photos meanwhile); `own` is what this stream signed. The
   * channel's cumulative is always base + own.
   */
  const position: Lookahead.StreamPosition = { base: connection.cumulative - price, price, delivered: 0, lookaheadUnits: args.lookaheadUnits, cap }
  let own = price
  const channel = () => position.base + own
  const state = () => progressAt(args, position.delivered, own, channel())
  const end = (reason: StreamEndReason, message: string) =>
    finish(deps, args, emit, { reason, message, progress: state(), channel: { channelId: connection.channelId, cumulative: channel() } })
  /** Re-reads the channel, so what other tabs paid meanwhile counts as theirs, not as this stream's. */
  const refresh = async () => {
    const current = (await deps.payer.signed(origin, challenge))?.cumulative
    if (current !== undefined && current >= own) position.base = current - own
  }
  /**
   * Signs up to `target` on the channel (an absolute bound from the lookahead rule), as a delta on what is signed now.
   * A voucher the site refused after receiving it stays this stream's: counted as another tab's payment, it would
   * make the next refill sign a whole window on top of it.
   */
  const signUpTo = async (target: RawAmount) => {
    const additional = target - channel()
    if (additional <= 0n) return
    const now = await deps.payer.voucher(origin, challenge, additional, url, deliver).catch((error: unknown) => {
      if (error instanceof UndeliveredVoucherError) {
        own += additional
        position.base = error.cumulative - own
        args.onSigned?.(additional)
      }
      throw error
    })
    args.onSigned?.(additional)
    own += additional
    position.base = now - own
  }
  let refill: Promise<void> | undefined
  const refillAhead = () => {
    if (refill || args.signal.aborted || Lookahead.refillTarget(position, channel()) === undefined) return
    refill = (async () => {
      await args.whenRunning?.()
      if (args.signal.aborted) return
      await refresh()
      const target = Lookahead.refillTarget(position, channel())
      if (target !== undefined) await signUpTo(target)
    })()
      // A failed refill is not fatal: the site asks with payment-need-voucher, and that path reports errors.
      .catch(() => undefined)
      .finally(() => (refill = undefined))
  }

  try {
    for await (const event of events) {
      if (event.type === 'message') {
        position.delivered++
        emit({ ...event, ...state() })
        refillAhead()
      } else if (event.type === 'need-voucher') {
        await refill
        await args.whenRunning?.()
        if (args.signal.aborted) break
        await refresh()
        const answer = Lookahead.answerNeedVoucher(position, event.requiredCumulative)
        if (answer.kind === 'ahead')
          return await end(
            'refused',
            `${origin} asked for ${formatDollars(event.requiredCumulative - position.base)} after delivering ${position.delivered} messages (at most ${formatDollars(answer.earned - position.base)} is due). Drip stopped paying this stream.`,
          )
        if (answer.kind === 'cap') return await end('cap', `Reached the ${formatLimit(cap)} you approved for ${origin}. Raise the approval in Drip to read on.`)
        await signUpTo(answer.cumulative)
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
  // This stream's own words and cost, not the channel's total (photos and other tabs pay on it too).
  const units = price > 0n ? own / price : 0n
  return end('complete', `Finished: ${units} ${units === 1n ? challenge.unitType : `${challenge.unitType}s`} for ${formatDollars(own)}.`)
}

/** Signed by this stream (`own`) and what the approval has left once the channel carries `cumulative`. */
export function progressAt(args: StreamArgs, messages: number, own: RawAmount, cumulative: RawAmount): StreamProgress {
  const cap = Policy.channelCap(args.approval)
  return { messages, signed: own.toString(), remaining: (cap > cumulative ? cap - cumulative : 0n).toString(), cap: cap.toString() }
}

/** Ends a stream: one ledger line per stream, not per word (the ledger is no place for a hot path), then the update. */
export async function finish(
  deps: StreamDeps,
  args: StreamArgs,
  emit: (update: StreamUpdate) => void,
  ending: { reason: StreamEndReason; message: string; progress: StreamProgress; channel?: { channelId: `0x${string}`; cumulative: RawAmount } },
): Promise<StreamEnd> {
  const { reason, message, progress, channel } = ending
  const update = { type: 'end' as const, reason, message, ...progress }
  await deps.ledger.append({
    origin: args.origin,
    kind: reason === 'refused' ? 'refused' : 'voucher',
    channelId: channel?.channelId,
    cumulative: channel?.cumulative.toString(),
    amount: progress.signed,
    detail: `Stream ${new URL(args.url).pathname}: ${message}`,
  })
  emit(update)
  return update
}

export function endReasonOf(error: unknown): StreamEndReason {
  return error instanceof Error && 'code' in error && error.code === 'cap' ? 'cap' : 'refused'
}
