/**
 * Every paid route of the demo answers 402 with an MPP session challenge
 * that decodes to what the seeds specify; bad credentials are refused.
 */
import { Challenge, Credential } from 'mppx'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { tempo } from 'mppx/client'
import { privateKeyToAccount } from 'viem/accounts'
import { createClient, http } from 'viem'
import { articles, minimumArticleWords } from '@/demo/content'
import { channelReserveAddress, pathUsdAddress } from '@/devnet/index'
import { startDevnetAndDemo } from '../../support/demoSite'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
beforeAll(async () => void (env = await startDevnetAndDemo()))
afterAll(() => env.stop())

const routes = [
  ['/api/sessions/photo', '10000', 'photo'],
  ['/api/sessions/poem', '1000', 'word'],
  [`/api/sessions/article/${articles[0]!.slug}`, '1000', 'word'],
  [`/api/sessions/article/${articles[0]!.slug}/wps/50`, '1000', 'word'],
] as const

describe('402 challenges', () => {
  test.each(routes)('%s asks %s raw pathUSD per %s on chain 1337 at the canonical escrow', async (path, amount, unitType) => {
    const response = await fetch(`${env.demo.origin}${path}`)
    expect(response.status).toBe(402)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    const challenge = Challenge.fromResponse(response)
    expect(challenge).toMatchObject({ method: 'tempo', intent: 'session' })
    expect(challenge.request).toMatchObject({
      amount,
      unitType,
      currency: pathUsdAddress,
      recipient: env.devnet.accounts[1]!.address,
      suggestedDeposit: '1000000',
      methodDetails: { chainId: 1337, escrowContract: channelReserveAddress },
    })
    expect((await response.json()).status).toBe(402)
  })

  test('a browser navigation gets a readable HTML 402 that is still a proper MPP challenge', async () => {
    const response = await fetch(`${env.demo.origin}/api/sessions/poem`, { headers: { accept: 'text/html,application/xhtml+xml' } })
    expect(response.status).toBe(402)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(Challenge.fromResponse(response).request).toMatchObject({ amount: '1000', unitType: 'word' })
    const html = await response.text()
    expect(html).toContain('402 — Payment required')
    expect(html).toContain('$0.001 per word')
  })

  test('garbage credentials get a clear 4xx and no content', async () => {
    for (const authorization of ['Payment not-a-credential', 'Payment eyJmb28iOiJiYXIifQ', 'Bearer abc']) {
      const response = await fetch(`${env.demo.origin}/api/sessions/photo`, { headers: { authorization } })
      expect(response.status, authorization).toBeGreaterThanOrEqual(400)
      expect(response.status, authorization).toBeLessThan(500)
      const body = await response.text()
      expect(body).not.toContain('/photos/')
    }
  })

  test('a replayed voucher credential is refused and never served', async () => {
    const account = privateKeyToAccount(env.devnet.accounts[7]!.privateKey)
    const captured: string[] = []
    const recordingFetch: typeof fetch = async (input, init) => {
      const authorization = new Headers(init?.headers).get('authorization')
      if (authorization) captured.push(authorization)
      return fetch(input, init)
    }
    const session = tempo.session.manager({
      account,
      maxDeposit: '1',
      client: createClient({ chain: env.devnet.viemChain, transport: http(env.devnet.url) }),
      fetch: recordingFetch,
    })
    for (let i = 0; i < 2; i++) expect((await session.fetch(`${env.demo.origin}/api/sessions/photo`)).status).toBe(200)
    const voucher = captured.find((header) => (Credential.deserialize(header).payload as { action?: string }).action === 'voucher')
    expect(voucher).toBeDefined()
    const replay = await fetch(`${env.demo.origin}/api/sessions/photo`, { headers: { authorization: voucher! } })
    expect(replay.status).toBeGreaterThanOrEqual(400)
    expect(replay.status).toBeLessThan(500)
    expect(await replay.text()).not.toContain('/photos/')
  })
})

describe('content', () => {
  test('articles are at least 2,000 words, and the unpaid twin streams the same words', async () => {
    for (const article of articles) expect(article.words.length).toBeGreaterThanOrEqual(minimumArticleWords)
    const response = await fetch(`${env.demo.origin}/api/free/article/${articles[0]!.slug}`)
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    const data = (await response.text())
      .split('\n\n')
      .filter(Boolean)
      .map((event) =>
        event
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n'),
      )
    expect(JSON.parse(data[0]!)).toMatchObject({ title: articles[0]!.title })
    expect(data.slice(1)).toEqual(articles[0]!.words)
  })

  test('pages: the gallery fetches /api/sessions/photo; stream pages declare data-mpp-stream with readable fallback', async () => {
    const gallery = await (await fetch(`${env.demo.origin}/gallery`)).text()
    expect(gallery).toContain("fetch('/api/sessions/photo')")
    expect(gallery).toContain('402 — this gallery needs an MPP wallet (Drip)')
    const poem = await (await fetch(`${env.demo.origin}/poem`)).text()
    expect(poem).toMatch(/<div data-mpp-stream="\/api\/sessions\/poem">\s*<p>Two roads diverged in a yellow wood, …<\/p>/)
    const paced = await (await fetch(`${env.demo.origin}/article/${articles[0]!.slug}?wps=50`)).text()
    expect(paced).toContain(`data-mpp-stream="/api/sessions/article/${articles[0]!.slug}/wps/50"`)
    const photo = await fetch(`${env.demo.origin}/photos/7.svg`)
    expect(photo.headers.get('content-type')).toBe('image/svg+xml')
    expect(await photo.text()).toBe(await (await fetch(`${env.demo.origin}/photos/7.svg`)).text())
    expect((await fetch(`${env.demo.origin}/photos/999.svg`)).status).toBe(404)
    expect((await fetch(`${env.demo.origin}/api/sessions/article/nope`)).status).toBe(404)
    expect((await fetch(`${env.demo.origin}/api/sessions/article/${articles[0]!.slug}/wps/0`)).status).toBe(400)
  })
})
