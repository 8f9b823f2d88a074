/**
 * The seeds' client code against the demo, changed only in chain settings
 * (an RPC for chain 1337): the pay-as-you-go client with maxDeposit '1', and
 * the streaming session manager.
 */
import { Mppx, tempo } from 'mppx/client'
import { createClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { poemWords } from '@/demo/content'
import { startDevnetAndDemo } from '../../support/demoSite'
import { minimumArticleWords } from '@/demo/content'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
beforeAll(async () => void (env = await startDevnetAndDemo()))
afterAll(() => env.stop())


describe('pay-as-you-go seed client: Mppx.create({ methods: [tempo({ account, maxDeposit: "1" })] })', () => {
  test('pays 100 photos from one channel with one open; the 101st fails on the cap and opens nothing', async () => {
    const account = privateKeyToAccount(env.devnet.accounts[3]!.privateKey)
    const startBlock = env.devnet.chain.latest.number
    const rpcClient = createClient({ chain: env.devnet.viemChain, transport: http(env.devnet.url) })
    Mppx.create({
      methods: [tempo({ account, maxDeposit: '1', getClient: () => rpcClient })],
    })
    try {
      const urls = new Set<string>()
      for (let i = 0; i < 100; i++) {
        const res = await fetch(`${env.demo.origin}/api/sessions/photo`)
        expect(res.status, `photo ${i + 1}`).toBe(200)
        urls.add((await res.json()).url)
      }
      expect(urls.size).toBeGreaterThan(10) // a varied set
      const failure = await fetch(`${env.demo.origin}/api/sessions/photo`).then(
        (response) => ({ status: response.status, message: '' }),
        (error: Error) => ({ status: 0, message: error.message }),
      )
      expect(failure.status).not.toBe(200)
      expect(failure.message).toBe('requested voucher amount 1010000 exceeds local maxDeposit 1000000')
    } finally {
      Mppx.restore()
    }
    const opened = env.devnet.reserveEvents('ChannelOpened', startBlock)
    expect(opened).toHaveLength(1)
    expect(opened[0]!.args.deposit).toBe(1_000_000n)
    expect(env.devnet.reserveEvents('TopUp', startBlock)).toHaveLength(0)
  })
})

describe('streaming seed client: tempo.session.manager(...).sse()', () => {
  test('reads the whole poem; words equal the seed poem and the cumulative is words × $0.001', async () => {
    const session = tempo.session.manager({
      account: privateKeyToAccount(env.devnet.accounts[4]!.privateKey),
      maxDeposit: '1',
      client: createClient({ chain: env.devnet.viemChain, transport: http(env.devnet.url) }),
    })
    const received: string[] = []
    for await (const word of await session.sse(`${env.demo.origin}/api/sessions/poem`)) received.push(word)
    expect(JSON.parse(received[0]!)).toEqual({ title: 'The Road Not Taken', author: 'Robert Frost' })
    expect(received.slice(1)).toEqual(poemWords)
    expect(session.cumulative).toBe(BigInt(poemWords.length) * 1_000n)
    await session.close()
  })

  test('a stream URL with a query string: voucher POSTs go to the same URL and are answered as management, not content', async () => {
    const postStatuses: number[] = []
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      if (init?.method === 'POST') postStatuses.push(response.status)
      return response
    }
    const session = tempo.session.manager({
      account: privateKeyToAccount(env.devnet.accounts[6]!.privateKey),
      maxDeposit: '1',
      client: createClient({ chain: env.devnet.viemChain, transport: http(env.devnet.url) }),
      fetch: recordingFetch,
    })
    const received: string[] = []
    for await (const word of await session.sse(`${env.demo.origin}/api/sessions/poem?ref=newsletter`)) received.push(word)
    expect(received.slice(1)).toEqual(poemWords)
    expect(postStatuses.length).toBeGreaterThanOrEqual(poemWords.length - 1)
    expect(new Set(postStatuses)).toEqual(new Set([204]))
    expect(session.cumulative).toBe(BigInt(poemWords.length) * 1_000n)
    await session.close()
  })

  test('a paced stream on its path variant is charged exactly its words, voucher POSTs included', async () => {
    const session = tempo.session.manager({
      account: privateKeyToAccount(env.devnet.accounts[5]!.privateKey),
      maxDeposit: '5',
      client: createClient({ chain: env.devnet.viemChain, transport: http(env.devnet.url) }),
    })
    const received: string[] = []
    for await (const word of await session.sse(`${env.demo.origin}/api/sessions/article/metered-reading/wps/1000`))
      received.push(word)
    const words = received.length - 1
    expect(words).toBeGreaterThanOrEqual(minimumArticleWords)
    expect(session.cumulative).toBe(BigInt(words) * 1_000n)
    await session.close()
  }, 120_000) // one voucher round trip per word: ~25 s for 2,000 words on 2 cores, the essay has about 900
})
