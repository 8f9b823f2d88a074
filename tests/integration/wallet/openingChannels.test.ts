/**
 * A reload right after Approve: the page that carried a channel's open went
 * away before the site had it. Drip must not pay vouchers on a channel the
 * chain does not have (the site answers 410 for good), must not list it,
 * and must pay the unit the reader sees once (`openingChannels.ts`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import * as Challenge from '@/lib/payments/challenge'
import { openValidSeconds } from '@/lib/payments/openingChannels'
import { startDevnetAndDemo } from '../../support/demoSite'
import { readerScope } from '../../support/readerScope'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
beforeAll(async () => void (env = await startDevnetAndDemo()))
afterAll(() => env.stop())
beforeEach(() => fakeBrowser.reset())

const photo = () => `${env.demo.origin}/api/sessions/photo`

/** Approves the demo for photos and signs an open that no request ever carries to the site (its page was reloaded). */
async function openNeverSent(accountIndex: number) {
  const reader = await readerScope(env.devnet, accountIndex)
  const { challenge } = await reader.approve(env.demo.origin, photo(), '1')
  const lost = await reader.scope.payer.pay(env.demo.origin, challenge as Challenge.SessionChallenge, photo(), { forPage: true })
  reader.scope.payer.lost(lost)
  return { reader, challenge: challenge as Challenge.SessionChallenge, lost }
}

describe('an open whose page went away before the site had it', () => {
  test('while it can still land: not listed; the next request offers the same open, the site opens it, one unit paid', async () => {
    const { reader, challenge, lost } = await openNeverSent(2)
    const start = env.devnet.chain.latest.number
    expect(await reader.views()).toEqual([])
    const { response } = await reader.paidFetch(env.demo.origin, photo())
    expect(response.status).toBe(200)
    expect(env.devnet.reserveEvents('ChannelOpened', start).map((e) => e.args.channelId)).toEqual([lost.channelId])
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!).toEqual({ channelId: lost.channelId, cumulative: 10_000n })
    expect(await reader.views()).toMatchObject([{ channelId: lost.channelId, status: 'open', spent: '10000' }])
    // The next photo is a voucher on the channel the chain now has.
    expect((await reader.paidFetch(env.demo.origin, photo())).response.status).toBe(200)
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(20_000n)
  })

  test('once it can no longer land: closed as never opened, nothing counted; the next request opens a new channel', async () => {
    const { reader, challenge, lost } = await openNeverSent(3)
    // The open was signed more than 25 s ago (the chain's clock cannot go back for the rest of the suite, so the
    // record is dated back instead): its transaction can no longer land.
    const signedAt = Number(env.devnet.chain.latest.timestamp) - openValidSeconds - 5
    await reader.scope.records.update(lost.channelId, (current) => current && { ...current, opening: { ...current.opening!, validBefore: signedAt + openValidSeconds } })
    await env.devnet.mine()
    const start = env.devnet.chain.latest.number
    const { response } = await reader.paidFetch(env.demo.origin, photo())
    expect(response.status).toBe(200)
    const [opened] = env.devnet.reserveEvents('ChannelOpened', start)
    expect(opened!.args.channelId).not.toBe(lost.channelId)
    expect(await reader.scope.payer.signed(env.demo.origin, challenge)).toEqual({ channelId: opened!.args.channelId, cumulative: 10_000n })
    expect(await reader.scope.records.spentByOrigin()).toEqual({ [env.demo.origin]: 10_000n })
    expect((await reader.views()).map((view) => view.channelId)).toEqual([opened!.args.channelId])
    expect((await reader.scope.records.get(lost.channelId))).toMatchObject({ status: 'closed', neverOpened: true })
    expect((await reader.scope.ledger.list()).some((line) => line.detail?.startsWith('A channel open never reached the chain'))).toBe(true)
  })
})

describe('an open whose budget count cannot be stored', () => {
  test('no credential leaves and no channel is recorded; the next request opens one channel and counts one unit', async () => {
    const reader = await readerScope(env.devnet, 4)
    const { challenge } = await reader.approve(env.demo.origin, photo(), '1')
    const session = challenge as Challenge.SessionChallenge
    // The budgets' count is the first local write of the open; it fails once (storage full).
    const set = vi.spyOn(fakeBrowser.storage.local, 'set').mockRejectedValueOnce(new Error('QUOTA_BYTES quota exceeded'))
    await expect(reader.scope.payer.pay(env.demo.origin, session, photo(), { forPage: true })).rejects.toThrow('QUOTA_BYTES')
    set.mockRestore()
    expect(await reader.scope.records.all()).toEqual([])
    const start = env.devnet.chain.latest.number
    const { response } = await reader.paidFetch(env.demo.origin, photo())
    expect(response.status).toBe(200)
    expect(env.devnet.reserveEvents('ChannelOpened', start)).toHaveLength(1)
    expect((await reader.scope.records.all()).map((record) => record.cumulative)).toEqual(['10000'])
    expect((await reader.scope.budgets.usage()).today).toBe(10_000n)
  })
})
