import { Channel } from 'ox/tempo'
import { beforeEach, describe, expect, test, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { ChannelRecords, keyFor, type MppxEntry } from '@/lib/payments/channelRecords'
import * as Schema from '@/lib/storage/schema'

const account = '0x1000000000000000000000000000000000000001'
const otherAccount = '0x2000000000000000000000000000000000000002'
const payee = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const token = '0x20c0000000000000000000000000000000000000'
const escrow = Channel.address
const key = `${payee.toLowerCase()}:${token}:${escrow}:1337`

function entry(channelId: `0x${string}`, cumulativeAmount: bigint) {
  return {
    channelId,
    cumulativeAmount,
    deposit: 1_000_000n,
    escrow,
    chainId: 1337,
    opened: true,
    descriptor: {
      payer: account,
      payee,
      operator: '0x0000000000000000000000000000000000000000',
      token,
      salt: `0x${'11'.repeat(32)}`,
      authorizedSigner: account,
      expiringNonceHash: `0x${'22'.repeat(32)}`,
    },
  } as MppxEntry
}

/** One account's records, as the worker's account scope holds them: one instance per account. */
let byAccount = new Map<string, ChannelRecords>()
const records = (of: `0x${string}`) => byAccount.get(of) ?? byAccount.set(of, new ChannelRecords(Schema.accountItems(of))).get(of)!
const storeFor = (of: `0x${string}`, origin: string) => records(of).mppxStoreFor(origin, `${origin}/api`)

beforeEach(() => {
  fakeBrowser.reset()
  byAccount = new Map()
})

describe('channel records kept in memory', () => {
  const channelId = `0x${'aa'.repeat(32)}` as const

  test('storage is read once; every change is stored before it is kept', async () => {
    const items = Schema.accountItems(account)
    const kept = new ChannelRecords(items)
    const reads = vi.spyOn(items.channels, 'getValue')
    await kept.mppxStoreFor('https://a.example', 'https://a.example/api').set(entry(channelId, 10n))
    await kept.all()
    await kept.get(channelId)
    expect(reads).toHaveBeenCalledOnce()
    // What a restarted worker reads: the change is in storage.
    expect((await new ChannelRecords(Schema.accountItems(account)).get(channelId))?.cumulative).toBe('10')
  })

  test('a change whose write fails is not kept: memory stays what storage holds', async () => {
    const items = Schema.accountItems(account)
    const kept = new ChannelRecords(items)
    await kept.mppxStoreFor('https://a.example', 'https://a.example/api').set(entry(channelId, 10n))
    vi.spyOn(items.channels, 'setRecord').mockRejectedValueOnce(new Error('QUOTA_BYTES quota exceeded'))
    await expect(kept.update(channelId, (current) => current && { ...current, cumulative: '20' })).rejects.toThrow('QUOTA_BYTES')
    expect((await kept.get(channelId))?.cumulative).toBe('10')
  })

  test('a change writes its own record alone; a new channel joins the list in the same write', async () => {
    const kept = records(account)
    const store = kept.mppxStoreFor('https://a.example', 'https://a.example/api')
    const other = `0x${'bb'.repeat(32)}` as const
    await store.set(entry(channelId, 10n))
    const writes = vi.spyOn(fakeBrowser.storage.local, 'set')
    await store.set(entry(other, 1n))
    await store.set(entry(channelId, 11n))
    await store.set(entry(other, 2n))
    expect(writes.mock.calls.map(([values]) => Object.keys(values).sort())).toEqual([
      [`channel:${account}:${other}`, `channelIds:${account}`],
      [`channel:${account}:${channelId}`],
      [`channel:${account}:${other}`],
    ])
    const restarted = new ChannelRecords(Schema.accountItems(account))
    expect((await restarted.all()).map((r) => [r.channelId, r.cumulative])).toEqual([
      [channelId, '11'],
      [other, '2'],
    ])
  })

  test('an opener that takes new channels gets the channel mppx opens instead of a write; a known channel is still written', async () => {
    const kept = records(account)
    await kept.mppxStoreFor('https://a.example', 'https://a.example/api').set(entry(channelId, 10n))
    const handed: unknown[] = []
    const store = kept.mppxStoreFor('https://a.example', 'https://a.example/api', { onNewChannel: (record) => void handed.push(record) })
    const writes = vi.spyOn(fakeBrowser.storage.local, 'set')
    const other = `0x${'bb'.repeat(32)}` as const
    await store.set(entry(other, 1n))
    expect(writes).not.toHaveBeenCalled()
    expect(handed).toEqual([expect.objectContaining({ channelId: other, origin: 'https://a.example', resourceUrl: 'https://a.example/api', cumulative: '1', deposit: '1000000', key, status: 'open' })])
    expect(await kept.get(other)).toBeUndefined()
    await store.set(entry(channelId, 11n))
    expect(writes).toHaveBeenCalledOnce()
    expect((await kept.get(channelId))?.cumulative).toBe('11')
  })

  test('readers get copies: changing one changes nothing kept', async () => {
    const kept = records(account)
    await kept.mppxStoreFor('https://a.example', 'https://a.example/api').set(entry(channelId, 10n))
    const copy = (await kept.get(channelId))!
    copy.cumulative = '999'
    ;(await kept.all())[0]!.deposit = '1'
    expect(await kept.get(channelId)).toMatchObject({ cumulative: '10', deposit: '1000000' })
  })

  test('a storage read that fails is tried again on the next read', async () => {
    const items = Schema.accountItems(account)
    const kept = new ChannelRecords(items)
    vi.spyOn(items.channels, 'getValue').mockRejectedValueOnce(new Error('storage unavailable'))
    await expect(kept.all()).rejects.toThrow('storage unavailable')
    expect(await kept.all()).toEqual([])
  })
})

describe('channel records as mppx channel stores', () => {
  test('two sites with the same payee, token, escrow and chain keep separate channels', async () => {
    const a = storeFor(account, 'https://a.example')
    const b = storeFor(account, 'https://b.example')
    await a.set(entry(`0x${'aa'.repeat(32)}`, 10n))
    expect(await b.get(key)).toBeUndefined()
    await b.set(entry(`0x${'bb'.repeat(32)}`, 20n))
    expect((await a.get(key))?.cumulativeAmount).toBe(10n)
    expect((await b.get(key))?.cumulativeAmount).toBe(20n)
    const listed = await records(account).all()
    expect(listed.map((r) => [r.origin, r.cumulative]).sort()).toEqual([
      ['https://a.example', '10'],
      ['https://b.example', '20'],
    ])
  })

  test('keyFor finds a stored channel from its payee, token, escrow and chain alone', async () => {
    await storeFor(account, 'https://a.example').set(entry(`0x${'aa'.repeat(32)}`, 10n))
    const found = await storeFor(account, 'https://a.example').get(keyFor({ payee, token, escrow, chainId: 1337 }))
    expect(found?.cumulativeAmount).toBe(10n)
    expect(await storeFor(account, 'https://a.example').get(keyFor({ payee, token, escrow, chainId: 42431 }))).toBeUndefined()
  })

  test('another account on the same site sees none of them', async () => {
    await storeFor(account, 'https://a.example').set(entry(`0x${'aa'.repeat(32)}`, 10n))
    expect(await storeFor(otherAccount, 'https://a.example').get(key)).toBeUndefined()
    expect(await records(otherAccount).all()).toEqual([])
  })

  test('origins with colons and slashes do not collide', async () => {
    await storeFor(account, 'http://127.0.0.1:3000').set(entry(`0x${'aa'.repeat(32)}`, 1n))
    await storeFor(account, 'http://127.0.0.1:30001').set(entry(`0x${'bb'.repeat(32)}`, 2n))
    expect((await records(account).all()).map((r) => r.origin).sort()).toEqual(['http://127.0.0.1:3000', 'http://127.0.0.1:30001'])
  })

  test('mppx can only raise what Drip recorded; its deletes (a close credential) do not end a channel', async () => {
    const store = storeFor(account, 'https://a.example')
    await store.set(entry(`0x${'aa'.repeat(32)}`, 30n))
    await store.set({ ...entry(`0x${'aa'.repeat(32)}`, 10n), opened: false })
    await store.delete(key)
    expect((await store.get(key))?.cumulativeAmount).toBe(30n)
    expect((await records(account).get(`0x${'aa'.repeat(32)}`))?.status).toBe('open')
    await records(account).markClosed(`0x${'aa'.repeat(32)}`, { refunded: 5n })
    expect(await store.get(key)).toBeUndefined()
  })

  test('spend per site sums every channel it had, open and closed', async () => {
    await storeFor(account, 'https://a.example').set(entry(`0x${'aa'.repeat(32)}`, 30n))
    await records(account).markClosed(`0x${'aa'.repeat(32)}`, {})
    await storeFor(account, 'https://a.example').set(entry(`0x${'ab'.repeat(32)}`, 12n))
    expect(await records(account).spentByOrigin()).toEqual({ 'https://a.example': 42n })
  })
})
