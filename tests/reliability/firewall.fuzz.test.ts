/**
 * Seeded fuzz of everything a page or a server can hand Drip's background:
 * 402 challenges, SSE streams, receipts and bridge messages. The oracle for
 * challenges is written from the rules, not from Drip's code: a challenge is
 * payable only if every field is well formed and matches the approval.
 * Figures: signatures on invalid input, vouchers ahead of delivery, crashes
 * and hangs must all be 0.
 */
import { Challenge as MppxChallenge, Receipt } from 'mppx'
import { afterAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { createAccountScope } from '@/lib/background/accountScope'
import { createBackground } from '@/lib/background/root'
import { listen } from '@/lib/background/router'
import type { Browser } from 'wxt/browser'
import { relayRequests } from '@/lib/content/requestRelay'
import { isPaidRequest, type PaidRequest, type RequestCommand } from '@/lib/protocol/requestPort'
import { screenRequest } from '@/lib/background/servers/requestServer'
import * as Challenge from '@/lib/payments/challenge'
import type { Payer } from '@/lib/payments/payer'
import * as Policy from '@/lib/payments/policy'
import * as Driver from '@/lib/streams/driver'
import { withoutRedirects } from '@/lib/shared/http'
import type { Wallet } from '@/lib/wallet/wallet'
import { Wallet as RealWallet } from '@/lib/wallet/wallet'
import { pathUsd, recipient, reserve, sessionChallengeHeader } from '../support/challenges'
import { figures, fuzzCases, random, type Random } from './scale'
import { payForPage } from '../support/pagePayment'
import { recordSiteReceipt } from '@/lib/payments/receipts'

const results = figures('Firewall fuzz')
results.expectZero(
  'challenges: signatures on invalid input',
  'challenges: payable ones refused',
  'challenges: crashes',
  'challenges: hangs',
  'sse: vouchers ahead of delivery',
  'sse: vouchers past the cap',
  'sse: crashes',
  'sse: hangs',
  'receipts: recorded for no channel of Drip’s',
  'receipts: crashes',
  'bridge: unbounded requests relayed',
)
afterAll(() => results.print())
beforeEach(() => fakeBrowser.reset())

const origin = 'https://fuzzed.example'
const account = '0x1000000000000000000000000000000000000001'
const uint96 = 1n << 96n

/** Fails a promise that has not settled in `ms` (generous: thousands of times a case's work, so a busy machine is no hang): a hang is a finding, not a stuck suite. */
async function within<T>(ms: number, work: Promise<T>): Promise<T | 'hang'> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), ms)))
  try {
    return await Promise.race([work, hang])
  } finally {
    clearTimeout(timer)
  }
}

type Fields = {
  method: unknown
  intent: unknown
  amount: unknown
  unitType: unknown
  currency: unknown
  recipient: unknown
  chainId: unknown
  escrowContract: unknown
  suggestedDeposit?: unknown
  expires?: unknown
  sessionSnapshot?: unknown
}

const base: Fields = {
  method: 'tempo',
  intent: 'session',
  amount: '10000',
  unitType: 'photo',
  currency: pathUsd,
  recipient,
  chainId: 1337,
  escrowContract: reserve,
  suggestedDeposit: '1000000',
}

const junkStrings = ['', ' ', '-1', '1e6', '0x10', '１０', '10000.5', '0', 'NaN', 'null', '<script>', '9'.repeat(40), (uint96).toString(), 'photo\n', '💸']
const someAddress = () => (r: Random) => `0x${Array.from({ length: 40 }, () => '0123456789abcdef'[r.int(0, 15)]).join('')}`

function mutate(r: Random, fields: Fields): Fields {
  const next = { ...fields }
  const mutations: ((f: Fields) => void)[] = [
    (f) => (f.amount = r.pick(junkStrings)),
    (f) => (f.amount = String(r.int(1, 10_000))),
    (f) => (f.amount = String(r.int(10_001, 10_000_000))),
    (f) => (f.amount = r.pick([1, 10000, null, {}, []])),
    (f) => (f.unitType = r.pick(['word', 'Photo', 'photo ', '', 'x'.repeat(40), '<b>', 7, null])),
    (f) => (f.currency = r.pick([pathUsd.toUpperCase().replace('0X', '0x'), someAddress()(r), '0x20c0', 'pathUSD', 1])),
    (f) => (f.recipient = r.pick([recipient.toLowerCase(), someAddress()(r), '0x1234', '', null])),
    (f) => (f.chainId = r.pick([0, -1, '1337', 1.5, 4217, 42431, 1, 2 ** 53, null])),
    (f) => (f.escrowContract = r.pick([reserve.toUpperCase().replace('0X', '0x'), someAddress()(r), 'reserve', undefined])),
    (f) => (f.intent = r.pick(['charge', 'Session', '', 'session '])),
    (f) => (f.method = r.pick(['stripe', 'Tempo', 'evm'])),
    (f) => (f.expires = r.pick([new Date(Date.now() - 60_000).toISOString(), new Date(Date.now() + 600_000).toISOString(), 'soon', '2020-13-45'])),
    (f) => (f.suggestedDeposit = r.pick([...junkStrings, undefined, '50000', String(uint96 + 1n)])),
    (f) => (f.sessionSnapshot = { channelId: `0x${'ab'.repeat(32)}`, requiredCumulative: '1000000', acceptedCumulative: '0' }),
  ]
  for (let i = r.int(0, 3); i > 0; i--) r.pick(mutations)(next)
  return next
}

/** The rules, restated independently of Drip's code: is this challenge payable under the photo approval? */
function payable(f: Fields): boolean {
  const digits = (v: unknown) => typeof v === 'string' && /^\d{1,29}$/.test(v) && BigInt(v) < uint96
  const same = (a: unknown, b: string) => typeof a === 'string' && /^0x[0-9a-fA-F]{40}$/.test(a) && a.toLowerCase() === b.toLowerCase()
  const expiresOk = f.expires === undefined || (typeof f.expires === 'string' && !Number.isNaN(Date.parse(f.expires)) && Date.parse(f.expires) > Date.now())
  // One approval covers every unit type and one-time payment of the payee: the per-payment limit (the approved photo's
  // $0.01) is what binds the amount.
  const payee =
    f.method === 'tempo' &&
    digits(f.amount) &&
    BigInt(f.amount as string) > 0n &&
    BigInt(f.amount as string) <= 10_000n &&
    same(f.currency, pathUsd) &&
    same(f.recipient, recipient) &&
    f.chainId === 1337 &&
    expiresOk
  if (f.intent === 'charge') return payee
  return (
    payee &&
    f.intent === 'session' &&
    typeof f.unitType === 'string' &&
    /^[\w .-]{1,32}$/.test(f.unitType) &&
    (f.escrowContract === undefined || same(f.escrowContract, reserve)) &&
    (f.suggestedDeposit === undefined || digits(f.suggestedDeposit)) &&
    f.sessionSnapshot === undefined
  )
}

function header(f: Fields): string {
  const request: Record<string, unknown> = {
    amount: f.amount,
    unitType: f.unitType,
    currency: f.currency,
    recipient: f.recipient,
    methodDetails: { chainId: f.chainId, ...(f.escrowContract === undefined ? {} : { escrowContract: f.escrowContract }), ...(f.sessionSnapshot ? { sessionSnapshot: f.sessionSnapshot } : {}) },
  }
  if (f.suggestedDeposit !== undefined) request.suggestedDeposit = f.suggestedDeposit
  return MppxChallenge.serialize(
    MppxChallenge.from({ id: 'fuzz', realm: 'fuzzed.example', method: String(f.method), intent: String(f.intent), request, ...(f.expires ? { expires: String(f.expires) } : {}) } as never),
  )
}

describe('fuzz', () => {
  test(`${fuzzCases} mutated challenges: a signature only for payable ones`, async () => {
    let signerLoads = 0
    const wallet = {
      signer: async () => {
        signerLoads++
        throw new Error('fuzz: the key would be used here')
      },
      isUnlocked: async () => true,
    } as unknown as Wallet
    const scope = createAccountScope(account, { wallet, fetch: withoutRedirects(async () => new Response(null, { status: 404 })), onPendingChanged: () => {} })
    await scope.approvals.grant(Policy.approvalFor(Challenge.parse(sessionChallengeHeader()), origin, { maxDeposit: 5_000_000n }))
    const r = random()
    for (let i = 0; i < fuzzCases; i++) {
      const garbage = r.chance(0.05)
      const fields = mutate(r, base)
      let value: string | null
      try {
        value = garbage ? r.text(r.int(0, 300)) : header(fields)
      } catch {
        continue // mppx would not even serialize it: nothing a server could send
      }
      const expected = !garbage && payable(fields)
      const before = signerLoads
      try {
        const outcome = await within(10_000, payForPage(scope, origin, { url: `${origin}/photo`, method: 'GET', wwwAuthenticate: value }))
        if (outcome === 'hang') results.add('challenges: hangs')
      } catch {
        results.add('challenges: crashes')
      }
      const signed = signerLoads > before
      results.add('challenges fuzzed')
      if (expected) results.add('challenges payable by the rules')
      if (signed && !expected) results.add('challenges: signatures on invalid input')
      if (!signed && expected) results.add('challenges: payable ones refused')
    }
    expect(results.get('challenges: signatures on invalid input')).toBe(0)
    expect(results.get('challenges: payable ones refused')).toBe(0)
    expect(results.get('challenges: crashes') + results.get('challenges: hangs')).toBe(0)
    expect(results.get('challenges payable by the rules')).toBeGreaterThan(fuzzCases / 20)
  }, 300_000)

  test(`${fuzzCases / 4} random SSE streams: never a voucher ahead of delivery plus lookahead, never past the cap`, async () => {
    const r = random(7)
    const price = 1_000n
    const challenge = Challenge.parse(sessionChallengeHeader({ unitType: 'word', amount: '1000' }))
    for (let i = 0; i < fuzzCases / 4; i++) {
      const lookaheadUnits = r.pick([0, 1, 2, 5, 20])
      const cap = BigInt(r.int(1, 60)) * price
      const approval = Policy.approvalFor(challenge, origin, { maxDeposit: cap })
      const base = BigInt(r.int(0, 5)) * price
      let channel = base + price
      let delivered = 0
      const payer = {
        pay: async () => ({ authorization: 'Payment fuzz', channelId: `0x${'cd'.repeat(32)}`, cumulative: channel }),
        signed: async () => ({ channelId: `0x${'cd'.repeat(32)}`, cumulative: channel }),
        voucher: async (_o: string, _c: unknown, additional: bigint) => {
          channel += additional
          results.add('sse: vouchers signed')
          // Delivered + the unit about to be sent + the lookahead, from what the reader actually received.
          if (channel > base + price * BigInt(delivered + 1 + lookaheadUnits)) results.add('sse: vouchers ahead of delivery')
          if (channel > cap) results.add('sse: vouchers past the cap')
          return channel
        },
      } as unknown as Payer
      const events = sseBody(r, () => base + price * BigInt(delivered + 1))
      const fetch = async () => new Response(chunked(r, events), { headers: { 'content-type': 'text/event-stream' } })
      try {
        const end = await within(
          10_000,
          Driver.run(
            { payer, ledger: { append: async () => {} } as never, fetch },
            { origin, url: `${origin}/stream`, challenge, approval, lookaheadUnits, signal: new AbortController().signal },
            (update) => void (update.type === 'message' && delivered++),
          ),
        )
        if (end === 'hang') results.add('sse: hangs')
        else results.add(`sse: ended ${end.reason}`)
      } catch {
        results.add('sse: crashes')
      }
      results.add('sse streams fuzzed')
    }
    expect(results.get('sse: vouchers ahead of delivery')).toBe(0)
    expect(results.get('sse: vouchers past the cap')).toBe(0)
    expect(results.get('sse: crashes') + results.get('sse: hangs')).toBe(0)
    expect(results.get('sse: vouchers signed')).toBeGreaterThan(0)
  }, 300_000)

  test(`${fuzzCases / 4} forged receipts and bridge messages: nothing recorded, nothing paid that was not asked for`, async () => {
    const r = random(11)
    const created = createBackground({ version: 'fuzz', wallet: new RealWallet({ iterations: 1_000 }) })
    const stop = listen(created.handlers)
    try {
      await new RealWallet({ iterations: 1_000 }).importKey(`0x${'11'.repeat(32)}`, 'correct horse battery')
      const scope = (await created.background.scope())!
      for (let i = 0; i < fuzzCases / 8; i++) {
        let receipt: string
        try {
          receipt = r.chance(0.5)
          ? Receipt.serialize({ method: 'tempo', intent: 'session', status: 'success', reference: 'x', timestamp: new Date().toISOString(), channelId: `0x${'ab'.repeat(32)}`, acceptedCumulative: r.pick(['1', '-1', 'x', '99999999999999999999999999999999']) } as never)
          : r.text(r.int(0, 5_000))
        } catch {
          receipt = r.text(100)
        }
        try {
          // Pages can no longer present receipts; Drip reads them from sites' answers through this same rule.
          const recorded = await recordSiteReceipt(scope, origin, receipt)
          results.add('receipts forged')
          if (recorded) results.add('receipts: recorded for no channel of Drip’s')
        } catch {
          results.add('receipts: crashes')
        }
      }
    } finally {
      stop()
    }
    // The isolated relay: only well-formed hand-overs from its own window, with their port, reach the background,
    // and the background's screen refuses any that are unbounded before anything is fetched or signed.
    const target = Object.assign(new EventTarget(), { location: { origin }, postMessage: () => undefined })
    const started: PaidRequest[] = []
    relayRequests(target as unknown as Window, () => {
      const port = { postMessage: (command: RequestCommand) => command.type === 'start' && started.push(command.request), disconnect: () => undefined, onMessage: { addListener: () => undefined }, onDisconnect: { addListener: () => undefined } }
      return port as unknown as Browser.runtime.Port
    })
    let wellFormed = 0
    const channels: MessageChannel[] = []
    for (let i = 0; i < fuzzCases / 8; i++) {
      const request = () => ({
        url: r.text(r.int(0, 9_000)),
        method: r.pick(['GET', 'POST', 'TRACE', r.text(r.int(0, 40))]),
        headers: Array.from({ length: r.int(0, 80) }, () => [r.text(r.int(1, 20)), r.text(r.int(0, r.chance(0.1) ? 10_000 : 40))]),
        // Bytes, as the page world posts them; a string (base64, as Drip once sent bodies) is no body.
        body: r.chance(0.5) ? null : r.pick(['aGVsbG8=', new TextEncoder().encode('x'.repeat(r.int(0, 3) * 600_000))]),
        credentials: r.pick(['omit', 'include', 'bogus']),
        wwwAuthenticate: r.chance(0.5) ? r.text(r.int(0, 40_000)) : null,
      })
      const data: unknown = r.pick([
        () => ({ drip: 'drip:paid-request', command: { type: 'start', request: request() } }),
        () => ({ drip: 'drip:paid-request', command: { type: 'start', request: { ...request(), headers: 'x' } } }),
        () => ({ drip: 'drip:paid-request', command: { type: 'start', request: null } }),
        () => ({ drip: 'drip:paid-request', command: { type: 'abort' } }),
        () => r.text(50),
        () => null,
      ])()
      const source = r.chance(0.9) ? target : {}
      const channel = new MessageChannel()
      channels.push(channel)
      const ports = r.chance(0.9) ? [channel.port2] : []
      const candidate = data as { drip?: unknown; command?: { type?: unknown; request?: unknown } }
      if (source === target && ports.length === 1 && candidate?.drip === 'drip:paid-request' && candidate.command?.type === 'start' && isPaidRequest(candidate.command.request)) wellFormed++
      target.dispatchEvent(Object.assign(new Event('message'), { data, source, ports }))
      results.add('bridge messages forged')
    }
    // The relay may answer a hand-over a task later: wait for the count, not for a fixed time.
    await vi.waitFor(() => expect(started.length).toBe(wellFormed), { timeout: 30_000, interval: 10 })
    for (const channel of channels) channel.port1.close()
    results.add('bridge: requests relayed', started.length)
    for (const request of started) {
      const passes = screenRequest(request) === undefined
      const bounded =
        request.url.length <= 4096 &&
        ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method) &&
        request.headers.length <= 64 &&
        request.headers.every(([name, value]) => name.length + value.length <= 8192) &&
        (request.body === null || request.body.byteLength <= 1024 * 1024)
      if (passes && !bounded) results.add('bridge: unbounded requests relayed')
      if (passes) results.add('bridge: requests that pass the screen')
    }
    expect(started.length).toBe(wellFormed)
    expect(results.get('bridge: unbounded requests relayed')).toBe(0)
    expect(results.get('receipts: recorded for no channel of Drip’s') + results.get('receipts: crashes')).toBe(0)
  }, 300_000)
})

/** A random SSE body, an event at a time: messages, honest and dishonest need-voucher events, receipts, junk. */
function sseBody(r: Random, honestRequired: () => bigint): (() => string)[] {
  const events: (() => string)[] = []
  const needVoucher = (required: () => string) => () =>
    `event: payment-need-voucher\ndata: ${JSON.stringify({ channelId: `0x${'cd'.repeat(32)}`, requiredCumulative: required(), acceptedCumulative: '0', deposit: '1000000' })}\n\n`
  for (let i = r.int(0, 40); i > 0; i--) {
    const kind = r.int(0, 9)
    if (kind <= 4) {
      const word = r.text(r.int(0, 20)).replace(/[\r\n]/g, ' ')
      events.push(() => `data: ${word}\n\n`)
    } else if (kind === 5) {
      // Honest: what was delivered when the site asks; dishonest: any number.
      const dishonest = String(r.int(0, 100_000))
      events.push(r.chance(0.6) ? needVoucher(() => honestRequired().toString()) : needVoucher(() => dishonest))
    } else if (kind === 6) {
      const junk = r.pick(['{', '[]', '{"channelId":1}', r.text(30)])
      events.push(() => `event: payment-need-voucher\ndata: ${junk}\n\n`)
    } else if (kind === 7) {
      const accepted = String(r.int(0, 1e9))
      events.push(() => `event: payment-receipt\ndata: ${JSON.stringify({ channelId: `0x${'cd'.repeat(32)}`, acceptedCumulative: accepted, spent: '0' })}\n\n`)
    } else if (kind === 8) {
      const comment = r.text(10).replace(/[\r\n]/g, ' ')
      events.push(() => `: comment ${comment}\n\n`)
    } else {
      const junk = r.chance(0.1) ? `data: ${'x'.repeat(70_000)}\n\n` : r.text(r.int(0, 60))
      events.push(() => junk)
    }
  }
  if (r.chance(0.7)) events.push(() => `event: payment-receipt\ndata: ${JSON.stringify({ channelId: `0x${'cd'.repeat(32)}`, acceptedCumulative: '0', spent: '0' })}\n\n`)
  return events
}

/** The body as a stream of randomly cut chunks; each event is written out when the reader reaches it. */
function chunked(r: Random, events: (() => string)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let pending = ''
  let next = 0
  return new ReadableStream(
    {
      pull(controller) {
        if (!pending) {
          if (next >= events.length) return controller.close()
          pending = events[next++]!()
        }
        const size = r.int(1, 200)
        controller.enqueue(encoder.encode(pending.slice(0, size)))
        pending = pending.slice(size)
      },
    },
    { highWaterMark: 0 },
  )
}
