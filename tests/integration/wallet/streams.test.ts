/**
 * The paid-stream driver against the demo site on the devnet: exact charges,
 * lookahead bounded by the setting, the cap, Stop, and a dishonest server.
 */
import { createClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { poemWords } from '@/demo/content'
import { Approvals } from '@/lib/approvals'
import * as Challenge from '@/lib/challenge'
import { Ledger } from '@/lib/ledger'
import * as Policy from '@/lib/policy'
import { Sessions } from '@/lib/sessions'
import * as Streams from '@/lib/streams'
import { startDevnetAndDemo } from '../../support/demoSite'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
beforeAll(async () => void (env = await startDevnetAndDemo({ dishonest: true })))
afterAll(() => env.stop())
beforeEach(() => fakeBrowser.reset())

async function reader(accountIndex: number, path: string, maxDeposit = '1') {
  const account = privateKeyToAccount(env.devnet.accounts[accountIndex]!.privateKey)
  const approvals = new Approvals(account.address)
  const ledger = new Ledger(account.address)
  const client = createClient({ chain: env.devnet.viemChain, transport: http(env.devnet.url) })
  const sessions = new Sessions({ account, getClient: () => client, approvals, ledger })
  const url = `${env.demo.origin}${path}`
  const challenge = Challenge.parse((await fetch(url)).headers.get('www-authenticate'))
  const approval = Policy.approvalFor(challenge, env.demo.origin, { maxDeposit })
  await approvals.grant(approval)
  const read = (options: { lookaheadUnits?: number; stopAfter?: number } = {}) => {
    const controller = new AbortController()
    const messages: string[] = []
    return Streams.run(
      { sessions, ledger, fetch: globalThis.fetch },
      { origin: env.demo.origin, url, challenge, approval, lookaheadUnits: options.lookaheadUnits ?? 0, signal: controller.signal },
      (update) => {
        if (update.type !== 'message') return
        messages.push(update.data)
        if (options.stopAfter !== undefined && messages.length >= options.stopAfter) controller.abort()
      },
    ).then((end) => ({ end, messages }))
  }
  return { sessions, ledger, challenge, read }
}

describe('paid streams', () => {
  test('the poem arrives word for word and costs exactly words × $0.001', async () => {
    const { read, sessions, challenge } = await reader(2, '/api/sessions/poem')
    const { end, messages } = await read()
    expect(end).toMatchObject({ type: 'end', reason: 'complete', messages: poemWords.length + 1, signed: String(poemWords.length * 1000) })
    expect(messages.slice(1)).toEqual(poemWords)
    expect((await sessions.signed(env.demo.origin, challenge))!.cumulative).toBe(BigInt(poemWords.length) * 1_000n)
  })

  test('signing ahead stays within the lookahead and the cap', async () => {
    const { read } = await reader(3, '/api/sessions/poem')
    const { end } = await read({ lookaheadUnits: 10 })
    expect(end.reason).toBe('complete')
    const signed = BigInt(end.signed)
    expect(signed).toBeGreaterThanOrEqual(BigInt(poemWords.length) * 1_000n)
    expect(signed).toBeLessThanOrEqual(BigInt(poemWords.length + 1 + 10) * 1_000n)
  })

  test('at the cap the stream stops cleanly with words in hand and nothing signed beyond', async () => {
    const { read } = await reader(4, '/api/sessions/poem', '0.02')
    const { end, messages } = await read()
    expect(end).toMatchObject({ reason: 'cap', signed: '20000' })
    expect(end.message).toBe(`Reached the $0.02 you approved for ${env.demo.origin}. Raise the approval in Drip to read on.`)
    expect(messages.length).toBe(21)
  })

  test('Stop: no voucher is signed after it', async () => {
    const { read, sessions, challenge } = await reader(5, '/api/sessions/article/metered-reading')
    const { end } = await read({ stopAfter: 10 })
    expect(end.reason).toBe('stopped')
    const signedAtStop = (await sessions.signed(env.demo.origin, challenge))!.cumulative
    expect(signedAtStop).toBeLessThanOrEqual(11n * 1_000n)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect((await sessions.signed(env.demo.origin, challenge))!.cumulative).toBe(signedAtStop)
  })

  test('a server asking to be paid for words it never sent gets no signature', async () => {
    const { read, sessions, challenge, ledger } = await reader(6, '/api/sessions/dishonest')
    const { end } = await read()
    expect(end.reason).toBe('refused')
    expect(end.message).toBe(`${env.demo.origin} asked for $0.011 after delivering 2 messages (at most $0.003 is due). Drip stopped paying this stream.`)
    expect((await sessions.signed(env.demo.origin, challenge))!.cumulative).toBe(1_000n)
    expect((await ledger.list())[0]).toMatchObject({ kind: 'refused' })
  })
})
