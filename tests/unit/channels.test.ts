import { Channel } from 'ox/tempo'
import { beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import * as Channels from '@/lib/channels'

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
  } as Channels.Entry
}

describe('channel store namespacing', () => {
  beforeEach(() => fakeBrowser.reset())

  test('two sites with the same payee, token, escrow and chain keep separate channels', async () => {
    const a = Channels.storeFor(account, 'https://a.example')
    const b = Channels.storeFor(account, 'https://b.example')
    await a.set(entry(`0x${'aa'.repeat(32)}`, 10n))
    expect(await b.get(key)).toBeUndefined()
    await b.set(entry(`0x${'bb'.repeat(32)}`, 20n))
    expect((await a.get(key))?.cumulativeAmount).toBe(10n)
    expect((await b.get(key))?.cumulativeAmount).toBe(20n)
    const listed = await Channels.list(account)
    expect(listed.map((r) => [r.origin, r.entry.cumulativeAmount]).sort()).toEqual([
      ['https://a.example', 10n],
      ['https://b.example', 20n],
    ])
  })

  test('keyFor finds a stored channel from its payee, token, escrow and chain alone', async () => {
    await Channels.storeFor(account, 'https://a.example').set(entry(`0x${'aa'.repeat(32)}`, 10n))
    const found = await Channels.storeFor(account, 'https://a.example').get(Channels.keyFor({ payee, token, escrow, chainId: 1337 }))
    expect(found?.cumulativeAmount).toBe(10n)
    expect(await Channels.storeFor(account, 'https://a.example').get(Channels.keyFor({ payee, token, escrow, chainId: 42431 }))).toBeUndefined()
  })

  test('another account on the same site sees none of them', async () => {
    await Channels.storeFor(account, 'https://a.example').set(entry(`0x${'aa'.repeat(32)}`, 10n))
    expect(await Channels.storeFor(otherAccount, 'https://a.example').get(key)).toBeUndefined()
    expect(await Channels.list(otherAccount)).toEqual([])
  })

  test('origins with colons and slashes do not collide', async () => {
    await Channels.storeFor(account, 'http://127.0.0.1:3000').set(entry(`0x${'aa'.repeat(32)}`, 1n))
    await Channels.storeFor(account, 'http://127.0.0.1:30001').set(entry(`0x${'bb'.repeat(32)}`, 2n))
    expect((await Channels.list(account)).map((r) => r.origin).sort()).toEqual(['http://127.0.0.1:3000', 'http://127.0.0.1:30001'])
  })
})
