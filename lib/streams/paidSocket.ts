/**
 * A page's paid WebSocket, held by the background: pay the first unit,
 * open the socket, send the credential in-band (mppx's WebSocket session:
 * `{ mpp: 'authorization' }` frames), then meter the site's frames the way
 * a paid event stream is metered (`Driver.meterEvents`): vouchers follow
 * what was delivered plus the reader's lookahead, and go back as frames.
 * The page gets the site's application messages only.
 */
import { refusalWords } from '@/lib/payments/refusalWords'
import { Session } from 'mppx/tempo'
import { type FrameData, httpUrlOf, type SocketReport, socketLimits } from '@/lib/protocol/socketPort'
import type * as Challenge from '@/lib/payments/challenge'
import type { Ledger } from '@/lib/payments/ledger'
import type { Payer } from '@/lib/payments/payer'
import type * as Policy from '@/lib/payments/policy'
import * as Driver from './driver'
import * as Sse from './sse'

const { formatAuthorizationMessage, parseMessage } = Session.Precompile.Protocol

/** The part of the WebSocket API Drip uses (the worker's own, or `ws` in Node). */
export type SocketLike = {
  readonly readyState: number
  binaryType: string
  send(data: string | ArrayBuffer | Uint8Array): void
  close(code?: number, reason?: string): void
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: { data?: unknown; code?: number; reason?: string }) => void): void
}
export type SocketConstructor = new (url: string, protocols?: string[]) => SocketLike

export type PaidSocketDeps = { payer: Payer; ledger: Ledger; fetch: typeof globalThis.fetch; WebSocket: SocketConstructor }

export type PaidSocketArgs = {
  origin: string
  /** The `ws:`/`wss:` URL. */
  url: URL
  protocols: string[]
  challenge: Challenge.SessionChallenge
  approval: Policy.Approval
  lookaheadUnits: number
  signal: AbortSignal
  /** Told each amount signed for this socket (the tab's tally, `tabSpend.ts`). */
  onSigned?: Driver.StreamArgs['onSigned']
}

export type PaidSocketSession = {
  /** A frame from the page, sent once the session is open (dropped before: the page's socket was not open either). */
  send(data: FrameData): void
  /** The metered session's end. */
  done: Promise<Driver.StreamEnd | undefined>
}

const open = 1

export function start(deps: PaidSocketDeps, args: PaidSocketArgs, post: (report: SocketReport) => void): PaidSocketSession {
  let socket: SocketLike | undefined
  let opened = false
  const done = (async () => {
    const httpUrl = httpUrlOf(args.url).href
    let paid: Awaited<ReturnType<Payer['pay']>>
    try {
      paid = await deps.payer.pay(args.origin, args.challenge, httpUrl)
      args.onSigned?.(paid.added)
    } catch (error) {
      post({ type: 'unpaid', outcome: 'refused', message: refusalWords(error, args.origin).notice })
      return undefined
    }
    if (args.signal.aborted) return undefined
    const connected = new deps.WebSocket(args.url.href, args.protocols)
    socket = connected
    connected.binaryType = 'arraybuffer'
    const frames = readFrames(connected, args.signal, () => {
      opened = true
      post({ type: 'open', protocol: '' })
    })
    connected.addEventListener('open', () => connected.send(formatAuthorizationMessage(paid.authorization)))
    args.signal.addEventListener('abort', () => connected.close(1000), { once: true })
    const end = await Driver.meterEvents(
      deps,
      { origin: args.origin, url: httpUrl, challenge: args.challenge, approval: args.approval, lookaheadUnits: args.lookaheadUnits, signal: args.signal, onSigned: args.onSigned },
      { channelId: paid.channelId, cumulative: paid.cumulative },
      frames.events,
      (update) => {
        if (update.type === 'message') post({ type: 'message', data: { text: update.data } })
      },
      async (sign) => {
        if (connected.readyState !== open) throw new Error(`${args.origin} closed the socket before the voucher could be sent.`)
        connected.send(formatAuthorizationMessage(await sign(args.challenge)))
      },
    )
    if (connected.readyState <= open) connected.close(end.reason === 'complete' ? 1000 : 1008, end.reason === 'complete' ? '' : end.message.slice(0, 120))
    if (!args.signal.aborted) {
      if (opened) post({ type: 'close', code: end.reason === 'complete' ? 1000 : 1011, reason: end.reason === 'complete' ? '' : end.message.slice(0, 120), wasClean: end.reason === 'complete' })
      else post({ type: 'unpaid', outcome: 'refused', message: end.message })
    }
    return end
  })()
  return {
    send(data) {
      if (!opened || !socket || socket.readyState !== open) return
      if ('text' in data) socket.send(data.text)
      else socket.send(data.bytes)
    },
    done,
  }
}

/**
 * The site's frames as the events the meter acts on (read by mppx's
 * `parseMessage`): `{ mpp: 'message' }` is a delivered message; a
 * need-voucher frame is checked as its SSE twin is (`Sse.classify`);
 * `payment-close-ready` ends the session. Anything else (binary frames,
 * text that is not mppx's) is dropped: it was never metered, so it is
 * never counted as delivered.
 */
function readFrames(socket: SocketLike, signal: AbortSignal, onPaid: () => void) {
  const queue: Sse.Event[] = []
  let finished = false
  let failure: Error | undefined
  let wake: (() => void) | undefined
  let paid = false
  const push = (event: Sse.Event) => {
    queue.push(event)
    wake?.()
  }
  const fail = (error: Error) => {
    failure ??= error
    wake?.()
  }
  socket.addEventListener('message', ({ data }) => {
    if (finished || failure || typeof data !== 'string') return
    if (data.length > socketLimits.frameBytes) return fail(new Sse.StreamError('too-large', 'The site sent a frame larger than 1 MiB.'))
    const frame = parseMessage(data)
    try {
      switch (frame?.mpp) {
        case 'message':
          return push({ type: 'message', data: frame.data })
        case 'payment-receipt':
          if (!paid) {
            paid = true
            onPaid()
          }
          return
        case 'payment-need-voucher': {
          const event = Sse.classify({ event: frame.mpp, data: JSON.stringify(frame.data) })
          return event && push(event)
        }
        case 'payment-close-ready':
          finished = true
          return wake?.()
        case 'payment-error':
          return fail(new Sse.StreamError('disconnected', `The site ended the paid session: ${frame.message.slice(0, 200)}`))
        default:
          return
      }
    } catch (error) {
      fail(error as Error)
    }
  })
  socket.addEventListener('close', ({ code }) => {
    if (!finished) fail(new Sse.StreamError('disconnected', `The site closed the socket (code ${code ?? 1006}) before the end of the session.`))
  })
  socket.addEventListener('error', () => fail(new Sse.StreamError('disconnected', 'The socket failed.')))
  // One abort listener for the whole session (one per wait would pile up over a long socket).
  signal.addEventListener('abort', () => wake?.(), { once: true })
  async function* events(): AsyncGenerator<Sse.Event> {
    for (;;) {
      while (queue.length) yield queue.shift()!
      if (failure && !signal.aborted) throw failure
      if (finished || signal.aborted || failure) return
      await new Promise<void>((resolve) => (wake = resolve))
      wake = undefined
    }
  }
  return { events: events() }
}
