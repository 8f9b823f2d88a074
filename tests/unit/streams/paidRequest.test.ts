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

/** Runs one paid request against `answers` (one per attempt) and lists, in order, what reached the page and what Drip noted. */
async function run(answers: (() => Response)[], refusal?: Error) {
  const steps: string[] = []
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
    undelivered: { keep: async () => void steps.push('kept'), take: async () => undefined } as never,
    fetch: async () => answers[steps.filter((step) => step.startsWith('pay')).length - 1]!(),
    payments: new Serial(),
  }
  const request = { url: url.href, method: 'GET', headers: [], body: null, credentials: 'include' as const, wwwAuthenticate: header }
  const approval = Policy.approvalFor(challenge, origin, { maxDeposit: 1_000_000n })
  await PaidRequestRun.run(deps, { origin, request, url, challenge, approval, lookaheadUnits: async () => 0, signal: new AbortController().signal }, (report: RequestReport) =>
    steps.push(`page ${report.type}`),
  )
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
