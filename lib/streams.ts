/**
 * Paid streams: the first unit is paid like any 402 (open or voucher), then
 * each `payment-need-voucher` is answered with a voucher, but only for what
 * was delivered plus a bounded number of units signed ahead (the user's
 * exposure setting), and never past the approval. A site that asks for more
 * than it delivered gets no signature and the stream stops.
 */
import type * as Challenge from './challenge'
import type { Ledger } from './ledger'
import * as Policy from './policy'
import type { Sessions } from './sessions'
import * as Sse from './sse'

export type Update =
  | ({ type: 'message'; data: string } & Progress)
  /** A paid resource that is not a stream (a navigation to a JSON or text URL): its whole body. */
  | ({ type: 'document'; contentType: string; body: string } & Progress)
  | ({ type: 'end'; reason: EndReason; message: string } & Progress)

/** Raw amounts: signed for this stream, and what the site's approval has left. */
export type Progress = { messages: number; signed: string; remaining: string; cap: string }

export type EndReason = 'complete' | 'stopped' | 'cap' | 'refused' | 'broken'

/** A paid page shown in place is a photo URL or a short text, not a download. */
export const maxDocumentBytes = 1024 * 1024

export type StreamDeps = {
  sessions: Sessions
  ledger: Ledger
  fetch: typeof globalThis.fetch
}

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

export async function run(deps: StreamDeps, args: StreamArgs, emit: (update: Update) => void): Promise<Update & { type: 'end' }> {
  const { origin, url, challenge, approval } = args
  const price = challenge.amount
  const cap = BigInt(approval.maxDeposit)
  let messages = 0
  let signed = 0n
  /** What the channel carried before this stream's first unit: other pages and streams of the site. */
  let base = 0n
  let channelId: `0x${string}` | undefined
  const state = (): Progress => ({ messages, signed: (signed - base).toString(), remaining: (cap > signed ? cap - signed : 0n).toString(), cap: cap.toString() })
  const end = async (reason: EndReason, message: string) => {
    const update = { type: 'end' as const, reason, message, ...state() }
    // One ledger line per stream, not per word: the ledger is no place for a hot path.
    await deps.ledger.append({
      origin,
      kind: reason === 'refused' ? 'refused' : 'voucher',
      channelId,
      cumulative: channelId ? signed.toString() : undefined,
      amount: (signed - base).toString(),
      detail: `Stream ${new URL(url).pathname}: ${message}`,
    })
    emit(update)
    return update
  }

  let response: Response
  try {
    const authorization = await deps.sessions.pay(origin, challenge, approval, url)
    const current = await deps.sessions.signed(origin, challenge)
    channelId = current?.channelId
    signed = current?.cumulative ?? price
    base = signed - price
    const resume: Record<string, string> = args.resumeFrom ? { 'last-event-id': String(args.resumeFrom) } : {}
    response = await deps.fetch(url, { headers: { authorization, accept: 'text/event-stream', ...resume }, signal: args.signal })
  } catch (error) {
    if (args.signal.aborted) return end('stopped', 'Stopped before the stream began.')
    return end(error instanceof Error && 'code' in error && error.code === 'cap' ? 'cap' : 'refused', (error as Error).message)
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel()
    return end('broken', `${origin} answered HTTP ${response.status} instead of the stream.`)
  }
  const contentType = response.headers.get('content-type') ?? ''
  if (!contentType.startsWith('text/event-stream')) {
    const body = await response.text()
    if (body.length > maxDocumentBytes) return end('broken', `${origin} sent more than ${maxDocumentBytes / 1024} KiB.`)
    emit({ type: 'document', contentType, body, ...state() })
    return end('complete', `Paid ${Policy.usd(price)} for this ${challenge.unitType}.`)
  }

  const lookahead = price * BigInt(args.lookaheadUnits)
  let refill: Promise<void> | undefined
  /**
   * With a lookahead, sign the next window once half the current one is used,
   * so the site never has to stop and ask: its headroom is refilled while it
   * streams. Still never past what was earned plus the lookahead, nor the cap.
   */
  const refillAhead = () => {
    if (args.lookaheadUnits < 2 || refill || args.signal.aborted) return
    const earned = base + price * BigInt(messages + 1)
    if (signed - earned > lookahead / 2n) return
    const target = earned + lookahead < cap ? earned + lookahead : cap
    if (target <= signed) return
    refill = (async () => {
      await args.whenRunning?.()
      if (args.signal.aborted) return
      const now = await deps.sessions.voucher(origin, challenge, approval, target, url)
      if (now > signed) signed = now
    })()
      // A failed refill is not fatal: the site asks with payment-need-voucher, and that path reports errors.
      .catch(() => undefined)
      .finally(() => (refill = undefined))
  }

  try {
    for await (const event of Sse.read(response.body, { signal: args.signal })) {
      if (event.type === 'message') {
        messages++
        emit({ type: 'message', data: event.data, ...state() })
        refillAhead()
      } else if (event.type === 'need-voucher') {
        await refill
        await args.whenRunning?.()
        if (args.signal.aborted) break
        // What this stream has earned: every message delivered, plus the unit about to be sent.
        const earned = base + price * BigInt(messages + 1)
        if (event.requiredCumulative > earned)
          return await end(
            'refused',
            `${origin} asked for ${Policy.usd(event.requiredCumulative - base)} after delivering ${messages} messages (at most ${Policy.usd(earned - base)} is due). Drip stopped paying this stream.`,
          )
        if (event.requiredCumulative > cap)
          return await end('cap', `Reached the ${Policy.usd(cap)} you approved for ${origin}. Raise the approval in Drip to read on.`)
        // Sign what is asked, plus the lookahead, but never more than the lookahead past what was earned, nor past the cap.
        const bound = earned + lookahead < cap ? earned + lookahead : cap
        const wanted = event.requiredCumulative + lookahead
        signed = await deps.sessions.voucher(origin, challenge, approval, wanted < bound ? wanted : bound, url)
      } else if (event.type === 'receipt') {
        signed = signed > event.acceptedCumulative ? signed : event.acceptedCumulative
      }
    }
  } catch (error) {
    await refill
    if (args.signal.aborted) return end('stopped', `Stopped after ${messages} messages.`)
    if (error instanceof Sse.StreamError) return end('broken', error.message)
    return end('refused', (error as Error).message)
  }
  await refill
  if (args.signal.aborted) return end('stopped', `Stopped after ${messages} messages.`)
  return end('complete', `${messages} messages, ${Policy.usd(signed)} signed in total on this channel.`)
}
