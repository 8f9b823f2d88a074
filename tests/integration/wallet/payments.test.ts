/**
 * Drip's payment core against the devnet and the demo site, in Node with
 * WXT's fake browser storage, through a reader's real account scope: the
 * page-fetch flow (402 → policy → credential → retry), caps, top-ups,
 * cooperative close and force close.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { Credential } from 'mppx'
import { createAccountScope } from '@/lib/background/accountScope'
import * as Preferences from '@/lib/payments/preferences'
import { withoutRedirects } from '@/lib/shared/http'
import { Wallet } from '@/lib/wallet/wallet'
import { startDevnetAndDemo } from '../../support/demoSite'
import { readerScope } from '../../support/readerScope'
import { payForPage } from '../../support/pagePayment'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
beforeAll(async () => void (env = await startDevnetAndDemo({ suggestedDeposit: '0.05' })))
afterAll(() => env.stop())
beforeEach(() => fakeBrowser.reset())

const photo = () => `${env.demo.origin}/api/sessions/photo`

describe('page fetch payments', () => {
  test('an unapproved site gets its 402 back and a pending request; nothing is signed', async () => {
    const reader = await readerScope(env.devnet, 2)
    const start = env.devnet.chain.latest.number
    const { response, outcome } = await reader.paidFetch(env.demo.origin, photo())
    expect(response.status).toBe(402)
    expect(outcome?.outcome).toBe('pending')
    expect(await reader.scope.approvals.pending()).toMatchObject([{ origin: env.demo.origin, amount: '10000', unitType: 'photo', suggestedDeposit: '50000' }])
    expect(env.devnet.reserveEvents(undefined, start)).toHaveLength(0)
  })

  test('max deposit 1: exactly 100 photos, top-ups inside the cap, the 101st refused before signing', async () => {
    // A deposit step of 5 photos (the site's suggestion of $0.05), so the cap is reached through top-ups.
    await Preferences.setDepositUnits(5)
    const reader = await readerScope(env.devnet, 3)
    await reader.approve(env.demo.origin, photo(), '1')
    const start = env.devnet.chain.latest.number
    for (let i = 0; i < 100; i++) expect((await reader.paidFetch(env.demo.origin, photo())).response.status, `photo ${i + 1}`).toBe(200)
    const { response, outcome } = await reader.paidFetch(env.demo.origin, photo())
    expect(response.status).toBe(402)
    expect(outcome).toEqual({
      outcome: 'refused',
      message: `Paying this would bring ${env.demo.origin} to $1.01, beyond the $1.00 you approved. Raise the approval in Drip to continue.`,
    })
    const events = env.devnet.reserveEvents(undefined, start)
    expect(events.filter((e) => e.eventName === 'ChannelOpened')).toHaveLength(1)
    const deposits = events.flatMap((e) => (e.eventName === 'ChannelOpened' ? [e.args.deposit] : e.eventName === 'TopUp' ? [e.args.additionalDeposit] : []))
    expect(deposits[0]).toBe(50_000n)
    expect(deposits.reduce((a, b) => a + b, 0n)).toBe(1_000_000n)
    const [channel] = await reader.views()
    expect(channel).toMatchObject({ deposit: '1000000', spent: '1000000', remaining: '0', status: 'open' })
    expect(await reader.scope.records.spentByOrigin()).toEqual({ [env.demo.origin]: 1_000_000n })
  })

  test('a restarted background resumes the channel with no new open', async () => {
    const first = await readerScope(env.devnet, 4)
    await first.approve(env.demo.origin, photo(), '1')
    for (let i = 0; i < 2; i++) await first.paidFetch(env.demo.origin, photo())
    // A new worker: a new wallet object and scope over the same storage (the derived key is in storage.session).
    const start = env.devnet.chain.latest.number
    const scope = createAccountScope(first.account.address, { wallet: new Wallet(), fetch: withoutRedirects(fetch), onPendingChanged: () => {} })
    const challenge = (await fetch(photo())).headers.get('www-authenticate')
    const outcome = await payForPage(scope, env.demo.origin, { url: photo(), method: 'GET', wwwAuthenticate: challenge })
    expect(outcome.outcome).toBe('paid')
    expect(env.devnet.reserveEvents(undefined, start).filter((e) => e.eventName === 'ChannelOpened')).toHaveLength(0)
    // The old worker is gone: what the next one reads.
    first.forgetScope()
    expect((await first.views())[0]).toMatchObject({ spent: '30000' })
  })

  test('two sites with the same payee never share a channel or a cap', async () => {
    const reader = await readerScope(env.devnet, 5)
    const other = env.demo.origin.replace('127.0.0.1', 'localhost')
    await reader.approve(env.demo.origin, photo(), '0.02')
    await reader.approve(other, `${other}/api/sessions/photo`, '0.02')
    for (const origin of [env.demo.origin, other])
      for (let i = 0; i < 2; i++) expect((await reader.paidFetch(origin, `${origin}/api/sessions/photo`)).response.status).toBe(200)
    const views = await reader.views()
    expect(views.map((v) => v.origin).sort()).toEqual([env.demo.origin, other].sort())
    expect(new Set(views.map((v) => v.channelId)).size).toBe(2)
    expect(views.every((v) => v.spent === '20000')).toBe(true)
  })
})

describe('vouchers that never reached the site', () => {
  const cumulativeOf = (authorization: string) => (Credential.deserialize(authorization).payload as { cumulativeAmount: string }).cumulativeAmount
  const ask = async (scope: Awaited<ReturnType<typeof readerScope>>['scope']) => {
    const outcome = await payForPage(scope, env.demo.origin, { url: photo(), method: 'GET', wwwAuthenticate: (await fetch(photo())).headers.get('www-authenticate') })
    if (outcome.outcome !== 'paid' || !outcome.voucher) throw new Error(outcome.outcome === 'paid' ? 'not a voucher' : outcome.message)
    return outcome.voucher
  }

  test('a voucher lost with the worker is offered again by the next, not topped; one the site held is offered once, then the next unit', async () => {
    const reader = await readerScope(env.devnet, 8)
    await reader.approve(env.demo.origin, photo(), '1')
    for (let i = 0; i < 2; i++) expect((await reader.paidFetch(env.demo.origin, photo())).response.status).toBe(200)
    // Signed, then lost: the worker died before the request carried it. The next worker offers it again.
    const lost = await ask(reader.scope)
    const restarted = reader.restartedScope()
    const again = await ask(restarted)
    expect(cumulativeOf(again.authorization)).toBe(cumulativeOf(lost.authorization))
    expect(again.cumulative).toBe(lost.cumulative)
    expect((await fetch(photo(), { headers: { authorization: again.authorization } })).status).toBe(200)
    await restarted.payer.delivered(env.demo.origin, again, 200)
    // The site got it, but the worker died before it saw the answer: the same voucher is offered, refused, then the
    // next unit pays.
    const unreported = await ask(restarted)
    expect((await fetch(photo(), { headers: { authorization: unreported.authorization } })).status).toBe(200)
    expect((await reader.paidFetch(env.demo.origin, photo(), reader.restartedScope())).response.status).toBe(200)
    // Five photos delivered, five units signed: nothing paid twice, nothing paid ahead (as the next worker reads it).
    expect((await reader.forgetScope().records.all())[0]!.cumulative).toBe('50000')
  })

  test('a page cannot move Drip past what it asked for by reporting lies', async () => {
    const reader = await readerScope(env.devnet, 9)
    await reader.approve(env.demo.origin, photo(), '1')
    const first = await ask(reader.scope)
    for (const status of [402, 402, 200, 500, 402]) await reader.scope.payer.delivered(env.demo.origin, first, status)
    expect(await reader.scope.payer.delivered(env.demo.origin, { ...first, channelId: `0x${'ee'.repeat(32)}` }, 200)).toBe(false)
    expect(await reader.scope.payer.delivered('https://other.example', first, 200)).toBe(false)
    await ask(reader.scope)
    expect(BigInt((await reader.scope.records.all())[0]!.cumulative)).toBeLessThanOrEqual(20_000n)
  })
})

describe('closing', () => {
  test('Close: the server settles, and exactly deposit − spent returns on chain', async () => {
    const reader = await readerScope(env.devnet, 6)
    await reader.approve(env.demo.origin, photo(), '1')
    for (let i = 0; i < 6; i++) await reader.paidFetch(env.demo.origin, photo())
    // The automatic deposit opens with half the $1 approval: $0.44 is left to refund.
    const [before] = await reader.views()
    const balance = await env.devnet.balance(reader.account.address)
    await reader.scope.lifecycle.close(env.demo.origin, before!.channelId)
    const [closed] = await reader.views()
    expect(before).toMatchObject({ deposit: '500000', spent: '60000' })
    const refund = BigInt(before!.deposit) - BigInt(before!.spent)
    expect(refund).toBe(440_000n)
    expect(closed).toMatchObject({ status: 'closed', refunded: refund.toString(), settled: before!.spent })
    expect((await env.devnet.balance(reader.account.address)) - balance).toBe(refund)
    expect((await reader.scope.ledger.list())[0]).toMatchObject({ kind: 'close', amount: refund.toString() })
    await expect(reader.scope.lifecycle.close(env.demo.origin, before!.channelId)).rejects.toThrow('already closed')
  })

  test('Force close: requestClose, withdraw refused during the grace period, then refunds deposit − settled', async () => {
    const snapshot = await env.devnet.snapshot()
    try {
      const reader = await readerScope(env.devnet, 7)
      await reader.approve(env.demo.origin, photo(), '1')
      for (let i = 0; i < 3; i++) await reader.paidFetch(env.demo.origin, photo())
      const [open] = await reader.views()
      await reader.scope.lifecycle.requestClose(env.demo.origin, open!.channelId)
      const [closing] = await reader.views()
      expect(closing!.status).toBe('closing')
      expect(closing!.withdrawableAt! - closing!.chainTime!).toBeGreaterThan(890)
      await expect(reader.scope.lifecycle.withdraw(env.demo.origin, open!.channelId)).rejects.toThrow(/CloseNotReady/)
      await env.devnet.increaseTime(900)
      await env.devnet.mine()
      const balance = await env.devnet.balance(reader.account.address)
      await reader.scope.lifecycle.withdraw(env.demo.origin, open!.channelId)
      const [closed] = await reader.views()
      const refund = BigInt(open!.deposit) - BigInt(open!.settled)
      expect(closed).toMatchObject({ status: 'closed', refunded: refund.toString() })
      const fee = [...env.devnet.chain.receipts.values()].at(-1)!.fee
      expect((await env.devnet.balance(reader.account.address)) - balance).toBe(refund - fee)
    } finally {
      await env.devnet.revert(snapshot)
    }
  })
})
