/**
 * Drip's session layer against the devnet and the demo site, in Node with
 * WXT's fake browser storage: the page-fetch flow (402 → policy → credential
 * → retry), caps, top-ups, cooperative close and force close.
 */
import { createClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { Approvals } from '@/lib/approvals'
import * as Challenge from '@/lib/challenge'
import { Ledger } from '@/lib/ledger'
import * as Policy from '@/lib/policy'
import { Sessions } from '@/lib/sessions'
import { startDevnetAndDemo } from '../../support/demoSite'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
beforeAll(async () => void (env = await startDevnetAndDemo({ suggestedDeposit: '0.05' })))
afterAll(() => env.stop())
beforeEach(() => fakeBrowser.reset())

function wallet(accountIndex: number) {
  const account = privateKeyToAccount(env.devnet.accounts[accountIndex]!.privateKey)
  const approvals = new Approvals(account.address)
  const ledger = new Ledger(account.address)
  const client = createClient({ chain: env.devnet.viemChain, transport: http(env.devnet.url) })
  const sessions = () => new Sessions({ account, getClient: () => client, approvals, ledger })
  return { account, approvals, ledger, sessions }
}

/** What the page-fetch wrapper and background do together for one request. */
async function paidFetch(sessions: Sessions, approvals: Approvals, origin: string, url: string) {
  const first = await fetch(url)
  if (first.status !== 402) return first
  const challenge = Challenge.parse(first.headers.get('www-authenticate'))
  Challenge.screen(challenge, { enabledChainIds: [1337] })
  const decision = Policy.decide(challenge, await approvals.get(origin))
  if (decision.kind === 'ask') {
    await approvals.recordPending(challenge, origin)
    return first
  }
  const authorization = await sessions.pay(origin, challenge, decision.approval, url)
  return fetch(url, { headers: { authorization } })
}

async function approve(approvals: Approvals, origin: string, maxDeposit: string) {
  const challenge = Challenge.parse((await fetch(`${env.demo.origin}/api/sessions/photo`)).headers.get('www-authenticate'))
  await approvals.grant(Policy.approvalFor(challenge, origin, { maxDeposit }))
}


describe('page fetch payments', () => {
  test('an unapproved site gets its 402 back and a pending request; nothing is signed', async () => {
    const { approvals, sessions } = wallet(2)
    const start = env.devnet.chain.latest.number
    const response = await paidFetch(sessions(), approvals, env.demo.origin, `${env.demo.origin}/api/sessions/photo`)
    expect(response.status).toBe(402)
    expect(await approvals.pending()).toMatchObject([{ origin: env.demo.origin, amount: '10000', unitType: 'photo', suggestedDeposit: '50000' }])
    expect(env.devnet.reserveEvents(undefined, start)).toHaveLength(0)
  })

  test('max deposit 1: exactly 100 photos, top-ups inside the cap, the 101st refused before signing', async () => {
    const { approvals, sessions, ledger } = wallet(3)
    await approve(approvals, env.demo.origin, '1')
    const start = env.devnet.chain.latest.number
    const drip = sessions()
    for (let i = 0; i < 100; i++) {
      const response = await paidFetch(drip, approvals, env.demo.origin, `${env.demo.origin}/api/sessions/photo`)
      expect(response.status, `photo ${i + 1}`).toBe(200)
    }
    const error = await paidFetch(drip, approvals, env.demo.origin, `${env.demo.origin}/api/sessions/photo`).catch((e: Error) => e)
    expect(error).toBeInstanceOf(Challenge.RefusedError)
    expect((error as Error).message).toBe(`Paying this would bring ${env.demo.origin} to $1.01, beyond the $1 you approved. Raise the approval in Drip to continue.`)
    const events = env.devnet.reserveEvents(undefined, start)
    expect(events.filter((e) => e.eventName === 'ChannelOpened')).toHaveLength(1)
    const deposits = events.flatMap((e) => (e.eventName === 'ChannelOpened' ? [e.args.deposit] : e.eventName === 'TopUp' ? [e.args.additionalDeposit] : []))
    expect(deposits[0]).toBe(50_000n)
    expect(deposits.reduce((a, b) => a + b, 0n)).toBe(1_000_000n)
    const [channel] = await drip.views()
    expect(channel).toMatchObject({ deposit: '1000000', spent: '1000000', remaining: '0', status: 'open' })
    expect(await ledger.spendByOrigin()).toEqual({ [env.demo.origin]: '1000000' })
  })

  test('a restarted background resumes the channel with no new open', async () => {
    const { approvals, sessions } = wallet(4)
    await approve(approvals, env.demo.origin, '1')
    for (let i = 0; i < 2; i++) await paidFetch(sessions(), approvals, env.demo.origin, `${env.demo.origin}/api/sessions/photo`)
    const start = env.devnet.chain.latest.number
    const response = await paidFetch(sessions(), approvals, env.demo.origin, `${env.demo.origin}/api/sessions/photo`)
    expect(response.status).toBe(200)
    expect(env.devnet.reserveEvents(undefined, start).filter((e) => e.eventName === 'ChannelOpened')).toHaveLength(0)
    expect((await sessions().views())[0]).toMatchObject({ spent: '30000' })
  })

  test('two sites with the same payee never share a channel or a cap', async () => {
    const { approvals, sessions } = wallet(5)
    const other = env.demo.origin.replace('127.0.0.1', 'localhost')
    await approve(approvals, env.demo.origin, '0.02')
    await approve(approvals, other, '0.02')
    const drip = sessions()
    for (const origin of [env.demo.origin, other])
      for (let i = 0; i < 2; i++) expect((await paidFetch(drip, approvals, origin, `${env.demo.origin}/api/sessions/photo`)).status).toBe(200)
    const views = await drip.views()
    expect(views.map((v) => v.origin).sort()).toEqual([env.demo.origin, other].sort())
    expect(new Set(views.map((v) => v.channelId)).size).toBe(2)
    expect(views.every((v) => v.spent === '20000')).toBe(true)
  })
})

describe('closing', () => {
  test('Close: the server settles, and exactly deposit − spent returns on chain', async () => {
    const { account, approvals, sessions, ledger } = wallet(6)
    await approve(approvals, env.demo.origin, '1')
    const drip = sessions()
    for (let i = 0; i < 5; i++) await paidFetch(drip, approvals, env.demo.origin, `${env.demo.origin}/api/sessions/photo`)
    const [open] = await drip.views()
    expect(open).toMatchObject({ deposit: '50000', spent: '50000' })
    // Top up beyond what is spent, so the refund is visible.
    await paidFetch(drip, approvals, env.demo.origin, `${env.demo.origin}/api/sessions/photo`)
    const [before] = await drip.views()
    const balance = await env.devnet.balance(account.address)
    const closed = await drip.close(env.demo.origin, before!.channelId)
    const refund = BigInt(before!.deposit) - BigInt(before!.spent)
    expect(refund).toBeGreaterThan(0n)
    expect(closed).toMatchObject({ status: 'closed', refunded: refund.toString(), settled: before!.spent })
    expect((await env.devnet.balance(account.address)) - balance).toBe(refund)
    expect((await ledger.list())[0]).toMatchObject({ kind: 'close', amount: refund.toString() })
    await expect(drip.close(env.demo.origin, before!.channelId)).rejects.toThrow('already closed')
  })

  test('Force close: requestClose, withdraw refused during the grace period, then refunds deposit − settled', async () => {
    const snapshot = await env.devnet.snapshot()
    try {
      const { account, approvals, sessions } = wallet(7)
      await approve(approvals, env.demo.origin, '1')
      const drip = sessions()
      for (let i = 0; i < 3; i++) await paidFetch(drip, approvals, env.demo.origin, `${env.demo.origin}/api/sessions/photo`)
      const [open] = await drip.views()
      const closing = await drip.requestClose(env.demo.origin, open!.channelId)
      expect(closing.status).toBe('closing')
      expect(closing.withdrawableAt! - closing.chainTime!).toBeGreaterThan(890)
      await expect(drip.withdraw(env.demo.origin, open!.channelId)).rejects.toThrow(/CloseNotReady/)
      await env.devnet.increaseTime(900)
      await env.devnet.mine()
      const balance = await env.devnet.balance(account.address)
      const closed = await drip.withdraw(env.demo.origin, open!.channelId)
      const refund = BigInt(open!.deposit) - BigInt(open!.settled)
      expect(closed).toMatchObject({ status: 'closed', refunded: refund.toString() })
      const fee = [...env.devnet.chain.receipts.values()].at(-1)!.fee
      expect((await env.devnet.balance(account.address)) - balance).toBe(refund - fee)
    } finally {
      await env.devnet.revert(snapshot)
    }
  })
})
