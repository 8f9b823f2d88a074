/**
 * The order of a page's paid request on the way back: the answer goes to the
 * page before Drip notes what it says of the payment (the voucher's delivery,
 * the site's receipt, the copy kept for a retry). Storage writes started
 * first would queue in the browser ahead of the answer's messages. The notes
 * still land before the request ends, and a 402 is noted before the next
 * attempt, which depends on it.
 */
import { Receipt } from 'mppx'
import { describe, expect, test } from 'vitest'
import * as Challenge from '@/lib/payments/challenge'
import type { PaidVoucher } from '@/lib/payments/pageDelivery'
import type { Payer } from '@/lib/payments/payer'
import * as Policy from '@/lib/payments/policy'
import type { RequestReport } from '@/lib/protocol/requestPort'
import { Serial } from '@/lib/shared/serial'
import * as PaidRequestRun from '@/lib/streams/paidRequest'
import { sessionChallengeHeader } from '../../support/challenges'

const origin = 'https://site.test'
const header = sessionChallengeHeader({ unitType: 'photo', amount: '1000' })
const challenge = Challenge.parse(header) as Challenge.SessionChallenge
const channelId = `0x${'cd'.repeat(32)}` as const
const url = new URL(`${origin}/api/photo`)

function receiptFor(cumulative: bigint) {
  return Receipt.serialize({ method: 'tempo', intent: 'session', status: 'success', reference: channelId, timestamp: new Date(0).toISOString(), channelId, acceptedCumulative: cumulative.toString(), spent: cumulative.toString() } as never)
}

/** What one run handed the page and the site, and what it kept for a retry. */
type Seen = { reports: RequestReport[]; sentBodies: unknown[]; kept: { body: string }[] }

/**
 * Runs one paid request against `answers` (one per attempt) and lists, in order, what reached the page and what Drip
 * noted. `seen` collects the reports, the bodies sent to the site and the copies kept; `keptBefore` is the copy a
 * retry finds.
 */
async function run(answers: (() => Response)[], refusal?: Error, options: { body?: Uint8Array<ArrayBuffer>; retry?: boolean; keptBefore?: object; seen?: Seen } = {}) {
  const steps: string[] = []
  const seen = options.seen
  let cumulative = 0n
  const payer = {
    pay: async (): Promise<PaidVoucher> => {
      if (refusal) throw refusal
      cumulative += 1000n
      steps.push(`pay ${cumulative}`)
      return { authorization: `Payment ${cumulative}`, channelId, cumulative, added: 1000n }
    },
    delivered: async (_origin: string, voucher: PaidVoucher, status: number) => {
      steps.push(`delivered ${voucher.cumulative} ${status}`)
      return true
    },
    lost: () => steps.push('lost'),
  } as unknown as Payer
  const deps: PaidRequestRun.PaidRequestDeps = {
    payer,
    ledger: { append: async (entry: { kind: string }) => void steps.push(`history ${entry.kind}`) } as never,
    records: { get: async () => ({ channelId, origin, cumulative: cumulative.toString() }) } as never,
    undelivered: {
      keep: async (copy: { body: string }) => void (steps.push('kept'), seen?.kept.push(copy)),
      take: async () => options.keptBefore,
    } as never,
    fetch: async (_url: unknown, init?: RequestInit) => {
      seen?.sentBodies.push(init?.body)
      return answers[steps.filter((step) => step.startsWith('pay')).length - 1]!()
    },
    payments: new Serial(),
  }
  const request = { url: url.href, method: options.body ? 'POST' : 'GET', headers: [], body: options.body ?? null, credentials: 'include' as const, wwwAuthenticate: header }
  const approval = Policy.approvalFor(challenge, origin, { maxDeposit: 1_000_000n })
  const args = { origin, request, url, challenge, approval, lookaheadUnits: async () => 0, signal: new AbortController().signal, retry: options.retry }
  await PaidRequestRun.run(deps, args, (report: RequestReport) => {
    steps.push(`page ${report.type}`)
    seen?.reports.push(report)
  })
  return steps
}

const photo = (cumulative: bigint) => () =>
  new Response('{"photo":1}', { status: 200, headers: { 'content-type': 'application/json', 'content-length': '11', 'payment-receipt': receiptFor(cumulative) } })

describe('a paid request on the way back', () => {
  test('a small answer reaches the page whole, in one message, before the voucher, the receipt and the kept copy are noted', async () => {
    const steps = await run([photo(1000n)])
    expect(steps.slice(0, 2)).toEqual(['pay 1000', 'page whole'])
    expect(steps.slice(2).sort()).toEqual(['delivered 1000 200', 'history receipt', 'kept'])
  })

  test('a large answer: its head reaches the page before the notes, which land before the request ends', async () => {
    const big = 'x'.repeat(300 * 1024)
    const steps = await run([() => new Response(big, { status: 200, headers: { 'content-length': String(big.length), 'payment-receipt': receiptFor(1000n) } })])
    expect(steps.slice(0, 2)).toEqual(['pay 1000', 'page head'])
    expect(steps.indexOf('delivered 1000 200')).toBeGreaterThan(steps.indexOf('page head'))
    expect(steps.indexOf('history receipt')).toBeGreaterThan(steps.indexOf('page head'))
    expect(steps).not.toContain('kept')
    expect(steps).toContain('page end')
  })

  test('a 402 is noted before the next attempt, which depends on it; the answer that follows is noted after the page has it', async () => {
    const refused = () => new Response('', { status: 402, headers: { 'www-authenticate': header } })
    const steps = await run([refused, photo(2000n)])
    expect(steps).toEqual(['pay 1000', 'delivered 1000 402', 'pay 2000', 'page whole', ...steps.slice(4)])
    expect(steps.slice(4).sort()).toEqual(['delivered 2000 200', 'history receipt', 'kept'])
  })

  test('a payment Drip refuses (a budget, the cap): the page has the site’s 402 and the notice before the history line is written', async () => {
    const overBudget = Object.assign(new Error('Today’s budget for site.test is spent.'), { name: 'RefusedError' })
    expect(await run([photo(1000n)], overBudget)).toEqual(['page unpaid', 'history refused'])
  })
})

describe('bodies travel as bytes', () => {
  /** Every byte value, which no text decoding keeps. */
  const binary = Uint8Array.from({ length: 256 }, (_, i) => i)
  const bytesOf = (reports: RequestReport[]) =>
    Buffer.concat(reports.flatMap((report) => (report.type === 'body' || report.type === 'whole' ? [report.bytes] : [])))
  const answer = (body: Uint8Array<ArrayBuffer>) => () =>
    new Response(body, { status: 200, headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.byteLength), 'payment-receipt': receiptFor(1000n) } })

  test('the page’s body goes to the site as the page sent it; a small answer’s bytes reach the page as the site sent them, and only the copy kept in storage is base64', async () => {
    const seen: Seen = { reports: [], sentBodies: [], kept: [] }
    await run([answer(binary)], undefined, { body: binary.slice().reverse(), seen })
    expect(seen.sentBodies).toEqual([binary.slice().reverse()])
    expect(seen.reports.map((report) => report.type)).toEqual(['whole'])
    expect(bytesOf(seen.reports)).toEqual(Buffer.from(binary))
    expect(seen.kept.map((copy) => copy.body)).toEqual([Buffer.from(binary).toString('base64')])
  })

  test('a large answer reaches the page in pieces, each with a buffer of its own, that join to the site’s bytes', async () => {
    const seen: Seen = { reports: [], sentBodies: [], kept: [] }
    const large = new Uint8Array(300 * 1024)
    for (let i = 0; i < large.length; i++) large[i] = (i * 7) % 256
    await run([answer(large)], undefined, { seen })
    const pieces = seen.reports.filter((report) => report.type === 'body')
    expect(pieces.length).toBeGreaterThan(0)
    expect(pieces.every((piece) => piece.bytes.byteOffset === 0 && piece.bytes.buffer.byteLength === piece.bytes.byteLength)).toBe(true)
    expect(bytesOf(seen.reports).equals(large)).toBe(true)
  })

  test('a retry gets the kept copy back as the bytes the site sent, without paying again', async () => {
    const seen: Seen = { reports: [], sentBodies: [], kept: [] }
    const keptBefore = { status: 200, statusText: 'OK', headers: [], url: url.href, body: Buffer.from(binary).toString('base64') }
    const steps = await run([answer(binary)], undefined, { retry: true, keptBefore, seen })
    expect(steps).toEqual(['page whole'])
    expect(bytesOf(seen.reports)).toEqual(Buffer.from(binary))
  })
})
