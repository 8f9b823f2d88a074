/**
 * A page's own paid request (its `fetch`, `EventSource` or XHR), made by the
 * background: pay (a session unit, or a one-shot charge), send the page's method, headers and body with the
 * credential, and hand the response back: a small one whole, in one
 * message; any other as a head and body chunks. A paid
 * event stream is metered here, where its bytes arrive (`Driver.meter`):
 * vouchers follow what was delivered, and the page gets the site's
 * application events without its payment events. The credential never
 * reaches the page.
 */
import { Base64 } from 'ox'
import { ownBytes } from '@/lib/protocol/bytes'
import type { PaidRequest, RequestReport } from '@/lib/protocol/requestPort'
import * as Challenge from '@/lib/payments/challenge'
import { maxPaidAttempts, type Payer } from '@/lib/payments/payer'
import type { PaidVoucher } from '@/lib/payments/pageDelivery'
import * as Policy from '@/lib/payments/policy'
import { recordSiteReceipt } from '@/lib/payments/receipts'
import { refusalWords } from '@/lib/payments/refusalWords'
import type { ChannelRecords } from '@/lib/payments/channelRecords'
import type { Ledger } from '@/lib/payments/ledger'
import { corsAllows, corsGrantOf, exposedHeaders } from '@/lib/shared/cors'
import { boundedPieces, concatBytes, SiteFetchError } from '@/lib/shared/http'
import type { Serial } from '@/lib/shared/serial'
import * as Driver from './driver'
import { maxKeptBytes, requestKey, type Undelivered } from './undelivered'
import * as Sse from './sse'
import type { RawAmount } from '@/lib/shared/amounts'
import { stepMark } from '@/lib/shared/stepMarks'

const utf8 = new TextEncoder()

/** The most of a paid answer (decoded) Drip hands a page: 32 MiB, beyond a paid clip (`paidMedia.maxMediaBytes`). */
export const maxAnswerBytes = 32 * 1024 * 1024

export type PaidRequestDeps = {
  payer: Payer
  ledger: Ledger
  records: ChannelRecords
  undelivered: Undelivered
  fetch: typeof globalThis.fetch
  /** One paid request per site at a time, from signing to the answer's head. */
  payments: Serial
}

export type PaidRequestArgs = {
  origin: string
  request: PaidRequest
  url: URL
  challenge: Challenge.PaymentChallenge
  approval: Policy.Approval
  /** How far ahead an event stream's vouchers are signed; asked only when the answer is one. */
  lookaheadUnits: () => Promise<number>
  signal: AbortSignal
  /** The page's request again after Chrome ended the worker before the answer began: a kept answer is handed over. */
  retry?: boolean
  /** Told each amount signed for this request (the tab's tally, `tabSpend.ts`). */
  onSigned?: (amount: RawAmount) => void
}

/** Headers a page may not choose for a paid request: Drip's credential, and what the browser owns. */
const withheldHeaders = new Set(['authorization', 'cookie', 'host', 'origin', 'referer', 'content-length', 'connection'])

export async function run(deps: PaidRequestDeps, args: PaidRequestArgs, post: (report: RequestReport) => void): Promise<void> {
  const { origin, request, url, challenge, signal } = args
  const headers = new Headers()
  for (const [name, value] of request.headers) if (!withheldHeaders.has(name.toLowerCase())) headers.set(name, value)
  // Another site's API answers the page, not Drip: the request carries the page's Origin (the background's fetch has
  // the browser set it, `pageOriginFetch.ts`), and its answer reaches the page only if its CORS lets that page read it.
  const crossOrigin = url.origin !== origin
  if (crossOrigin) headers.set('origin', origin)
  const body = request.body === null || request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body
  const kept = args.retry ? await deps.undelivered.take(origin, requestKey(request)).catch(() => undefined) : undefined
  if (kept) return post({ type: 'whole', status: kept.status, statusText: kept.statusText, headers: kept.headers, url: kept.url, bytes: Base64.toBytes(kept.body) as Uint8Array<ArrayBuffer> })
  // One payment of a site at a time, until its answer's head is in: the site spends each voucher's headroom on the
  // request that carried it, and the next request signs on top of what that one settled (`Payer.delivered`).
  // A refused voucher is offered once more, then one new unit.
  const send = (authorization: string) => {
    headers.set('authorization', authorization)
    stepMark('worker: paid request sent')
    return deps.fetch(url, { method: request.method, headers, body, credentials: request.credentials, signal })
  }
  const payAndSend = async (first: Challenge.SessionChallenge): Promise<{ connection: Driver.Connection; paid: PaidVoucher }> => {
    let session = first
    for (let attempt = 0; ; attempt++) {
      const paid = await deps.payer.pay(origin, session, url.href, { forPage: true })
      args.onSigned?.(paid.added)
      let response: Response
      try {
        response = await send(paid.authorization)
        stepMark("worker: the site's head")
      } catch (error) {
        deps.payer.lost(paid)
        throw error
      }
      // The site's word on the voucher is noted after the answer is on its way to the page, unless a 402 makes the
      // next attempt depend on it.
      if (response.status !== 402 || attempt === maxPaidAttempts - 1) return { connection: { response, channelId: paid.channelId, cumulative: paid.cumulative }, paid }
      await deps.payer.delivered(origin, paid, response.status).catch(() => false)
      // A challenge the site no longer takes (expired, or the page handed over one it kept): the next attempt uses the
      // one this 402 carries, if its terms are the same; other terms are the page's to hand over, and the reader's to approve.
      session = currentChallenge(response, session, origin) ?? session
      await response.body?.cancel()
    }
  }
  // A one-shot charge is signed once: if the site refuses it, the page gets the refusal, never a second payment.
  const chargeAndSend = async (charge: Challenge.ChargeChallenge) => {
    const { authorization } = await deps.payer.charge(origin, charge)
    args.onSigned?.(charge.amount)
    return send(authorization)
  }
  let connection: Driver.Connection | undefined
  let paid: PaidVoucher | undefined
  let response: Response
  try {
    if (challenge.intent === 'charge') response = await deps.payments.run(origin, () => chargeAndSend(challenge))
    else {
      ;({ connection, paid } = await deps.payments.run(origin, () => payAndSend(challenge)))
      response = connection.response
    }
  } catch (error) {
    if (signal.aborted) return
    // The page has the site's 402 and the reader the notice at once; the popup's history says why (a budget, the cap,
    // a pause), in a line written after (repeats fold into one), which the popup's next read waits for.
    const words = refusalWords(error, origin)
    post({ type: 'unpaid', outcome: 'refused', message: words.notice })
    return deps.ledger.append({ origin, kind: 'refused', detail: words.history })
  }
  // What the answer says of the payment is noted once the answer is on its way to the page: the voucher's delivery
  // (`Payer.delivered`, in the payer's turn for this site; a payment that comes first finds this voucher still in
  // flight and signs the next unit, as requests side by side do) and the site's receipt in the history. Storage
  // writes started earlier would hold the answer's messages back in the browser.
  const receipt = response.headers.get('payment-receipt')
  let noted: Promise<unknown> | undefined
  const note = () =>
    (noted ??= Promise.all([
      paid && deps.payer.delivered(origin, paid, response.status).catch(() => false),
      receipt ? recordSiteReceipt(deps, origin, receipt).catch(() => false) : undefined,
    ]))
  // A media element shows what it loads without reading it; every other answer is read by the page's script.
  if (crossOrigin && !request.media && !corsAllows(corsGrantOf(response.headers), origin, request.credentials)) {
    await response.body?.cancel().catch(() => undefined)
    await note()
    return post({ type: 'failed', message: `${url.origin} does not let ${origin} read its answer (CORS): the page's request fails, as it would without Drip.` })
  }
  // The page has its answer at once; the request ends when the payment is noted.
  const end = async () => {
    post({ type: 'end' })
    await note()
  }
  // Another origin's answer shows the page only the headers that origin lets pages read (its payment headers stay Drip's).
  const pageHeaders = !crossOrigin ? [...response.headers] : exposedHeaders(response.headers, request.credentials)
  const head = { status: response.status, statusText: response.statusText, headers: pageHeaders, url: response.url || url.href }
  const postHead = () => post({ type: 'head', ...head })
  if (!response.body) {
    postHead()
    return end()
  }

  if (connection && challenge.intent === 'session' && response.ok && Driver.isEventStream(response)) {
    postHead()
    stepMark('worker: head posted')
    await note()
    stepMark('worker: payment noted')
    const metered = await Driver.meter(
      deps,
      { origin, url: url.href, challenge, approval: args.approval, lookaheadUnits: await args.lookaheadUnits(), signal, onSigned: args.onSigned },
      connection,
      (update) => {
        if (update.type !== 'message') return
        stepMark('worker: a word posted')
        post({ type: 'body', bytes: utf8.encode(Sse.format(update)) })
      },
    )
    if (signal.aborted) return
    return post(metered.reason === 'complete' ? { type: 'end' } : { type: 'error', message: metered.message })
  }

  // Every answer is read decoded, in bounded pieces, and cut off past `maxAnswerBytes`: a small content-length over a
  // compressed body says nothing of its size.
  const pieces = boundedPieces(response.body, maxAnswerBytes)
  const postPiece = (piece: Uint8Array) => post({ type: 'body', bytes: ownBytes(piece) })
  try {
    // A small answer goes to the page in one message and is kept: should the worker end before the page has it, the
    // page's retry gets it from there instead of paying the site again (`undelivered.ts`). Posting does not wait for
    // the write (a message posted reaches the page even if the worker ends next), and the write starts after the
    // post, so that the message reaches the browser first.
    const declared = Number(response.headers.get('content-length') ?? Number.NaN)
    const first: Uint8Array[] = []
    if (Number.isFinite(declared) && declared <= maxKeptBytes) {
      let size = 0
      let next = await pieces.next()
      for (; !next.done && size + next.value.byteLength <= maxKeptBytes; next = await pieces.next()) {
        first.push(next.value)
        size += next.value.byteLength
      }
      if (next.done) {
        const bytes = concatBytes(first)
        stepMark('worker: body read')
        post({ type: 'whole', ...head, bytes })
        // Kept in the same turn as the post, before the page's word that it has the answer can be heard. Session
        // storage holds JSON only, so the kept copy is base64; the page's copy never is.
        const kept = deps.undelivered.keep({ origin, key: requestKey(request), ...head, body: Base64.fromBytes(bytes), at: Date.now() }).catch(() => undefined)
        await note()
        return await kept
      }
      first.push(next.value)
    }
    postHead()
    void note()
    first.forEach(postPiece)
    for (let next = await pieces.next(); !next.done; next = await pieces.next()) postPiece(next.value)
    await end()
  } catch (error) {
    if (signal.aborted) return
    post({ type: 'error', message: error instanceof SiteFetchError ? error.message : `${origin} broke the response off: ${(error as Error).message}` })
  } finally {
    // The site answered, whatever became of its body.
    await note()
  }
}

/** The session challenge a 402 carries when its terms are the paid one's; undefined otherwise. */
function currentChallenge(response: Response, paid: Challenge.SessionChallenge, origin: string): Challenge.SessionChallenge | undefined {
  try {
    const current = Challenge.parse(response.headers.get('www-authenticate'))
    Policy.assertSameSession(current, paid, origin)
    return current
  } catch {
    return undefined
  }
}
