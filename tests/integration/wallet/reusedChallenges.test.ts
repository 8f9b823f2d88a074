/**
 * Declared streams reuse the challenge an earlier stream of the same URL
 * read (`freshChallenges.ts`, `portServer.payStream`), against the
 * demo site on the devnet: the 402 round trip is skipped on an open
 * channel, a kept challenge the site no longer takes costs nothing extra,
 * and one the policy would not pay is never tried. Page requests do the
 * same (`page/paidUrls.ts`): a GET the document had paid goes straight to
 * Drip with the challenge it was paid on.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { poemWords } from '@/demo/content'
import * as Challenge from '@/lib/payments/challenge'
import { FreshChallenges } from '@/lib/payments/freshChallenges'
import type { Unbatched } from '@/lib/streams/messageBatch'
import { payStream } from '@/lib/background/servers/portServer'
import { startDevnetAndDemo } from '../../support/demoSite'
import { readerScope } from '../../support/readerScope'
import { startHostileProxy } from '../../support/hostileProxy'
import { PaidUrls } from '@/lib/page/paidUrls'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
beforeAll(async () => void (env = await startDevnetAndDemo()))
afterAll(() => env.stop())
beforeEach(() => fakeBrowser.reset())

const poemPrice = 1_000n
const poemCost = BigInt(poemWords.length) * poemPrice

/** A reader approved for the poem, whose site fetches are counted: the challenge GETs are those without a credential. */
async function reader(accountIndex: number) {
  const drip = await readerScope(env.devnet, accountIndex)
  const origin = env.demo.origin
  const url = `${origin}/api/sessions/poem`
  await drip.approve(origin, url, '1')
  const challengeReads: string[] = []
  const countingFetch: typeof globalThis.fetch = (input, init) => {
    if (!new Headers(init?.headers).has('authorization')) challengeReads.push(`${init?.method ?? 'GET'} ${String(input)}`)
    return drip.scope.fetch(input, init)
  }
  const scope = { ...drip.scope, fetch: countingFetch }
  const challenges = new FreshChallenges()
  /** One declared stream of the poem, as the stream server runs it. */
  const stream = async () => {
    const words: string[] = []
    let end: Extract<Unbatched, { type: 'end' }> | undefined
    await payStream(scope, challenges, { origin, url, signal: new AbortController().signal }, (report) => {
      if (report.type === 'message') words.push(report.data)
      else if (report.type === 'end') end = report
      else throw new Error(`The stream did not run: ${JSON.stringify(report)}`)
    })
    return { end: end!, words: words.slice(1) }
  }
  const poem = Challenge.parse((await fetch(url)).headers.get('www-authenticate'))
  const cumulative = async () => (await scope.payer.signed(origin, poem))?.cumulative
  return { drip, origin, url, challenges, challengeReads, stream, cumulative }
}

describe('declared streams on a kept challenge', () => {
  test('the second stream of a URL skips the 402 round trip on the open channel, and pays exactly its words', async () => {
    const { stream, url, challengeReads, cumulative } = await reader(2)
    const first = await stream()
    expect([first.end.reason, first.words]).toEqual(['complete', poemWords])
    expect(challengeReads).toEqual([`GET ${url}`])
    const second = await stream()
    expect([second.end.reason, second.words]).toEqual(['complete', poemWords])
    expect(challengeReads).toHaveLength(1)
    expect(second.end.signed).toBe(poemCost.toString())
    expect(await cumulative()).toBe(2n * poemCost)
  })

  test('a kept challenge the site no longer takes: the same unit is offered again on its current challenge; every word once, nothing paid twice', async () => {
    const { stream, challenges, origin, url, challengeReads, cumulative } = await reader(3)
    await stream()
    // What a restarted site (a new HMAC key) or an expiry does to a kept challenge: the site does not recognise it.
    const kept = Challenge.parse(challenges.get(origin, url))
    const forged = Challenge.serialize({ ...kept, challenge: { ...kept.challenge, id: 'not-this-sites-challenge' } })
    challenges.keep(origin, url, forged, kept.expires)
    const second = await stream()
    expect([second.end.reason, second.words]).toEqual(['complete', poemWords])
    expect(await cumulative()).toBe(2n * poemCost)
    // The site's current challenge (from its 402) is kept for the next stream, which needs no read of its own.
    expect(challenges.get(origin, url)).not.toBe(forged)
    const third = await stream()
    expect(third.end.reason).toBe('complete')
    expect(challengeReads).toHaveLength(1)
    expect(await cumulative()).toBe(3n * poemCost)
  })

  test('a site that changed its terms since: refused, the kept challenge dropped, at most the one unit signed on it; the next stream reads the site’s', async () => {
    const { drip, stream, challenges, origin, url, challengeReads, cumulative } = await reader(4)
    await stream()
    // Photos approved too, so the policy lets a photo-priced challenge through: as if the poem now cost $0.01 a word.
    await drip.approve(origin, `${origin}/api/sessions/photo`, '1')
    const photo = Challenge.parse((await fetch(`${origin}/api/sessions/photo`)).headers.get('www-authenticate'))
    challenges.keep(origin, url, Challenge.serialize(photo), photo.expires)
    const second = await stream()
    expect(second.end).toMatchObject({ reason: 'refused', message: `${origin} changed its terms mid-payment; nothing more was signed.` })
    expect(second.words).toEqual([])
    expect(challenges.get(origin, url)).toBeUndefined()
    expect(await cumulative()).toBe(poemCost + photo.amount)
    const third = await stream()
    expect(third.end.reason).toBe('complete')
    expect(challengeReads).toHaveLength(2)
  })

  test('no open channel: a kept challenge is not used (an open is always signed on a challenge just read)', async () => {
    const { stream, challenges, origin, url, challengeReads, drip, cumulative } = await reader(5)
    challenges.keep(origin, url, (await fetch(url)).headers.get('www-authenticate')!, undefined)
    expect((await stream()).end.reason).toBe('complete')
    expect(challengeReads).toHaveLength(1)
    expect(await cumulative()).toBe(poemCost)
    expect(await drip.scope.approvals.pending()).toEqual([])
  })

  test('terms the approval does not cover: the kept challenge is dropped untried, and the site’s own is read', async () => {
    const { stream, challenges, origin, url, challengeReads, drip } = await reader(6)
    await stream()
    const photo = Challenge.parse((await fetch(`${origin}/api/sessions/photo`)).headers.get('www-authenticate'))
    challenges.keep(origin, url, Challenge.serialize(photo), photo.expires)
    const second = await stream()
    expect([second.end.reason, second.words.length]).toEqual(['complete', poemWords.length])
    expect(challengeReads).toHaveLength(2)
    expect(await drip.scope.approvals.pending()).toEqual([])
  })
})

describe("a page's GET of a URL it had paid, on the challenge it was paid on", () => {
  test('photos after the first skip the 402 round trip (the site sees one unpaid GET for three photos) and cost exactly a photo each; a challenge the site no longer takes costs nothing extra', async () => {
    const proxy = await startHostileProxy(env.demo.origin)
    try {
      const drip = await readerScope(env.devnet, 6)
      const photo = `${proxy.origin}/api/sessions/photo`
      await drip.approve(proxy.origin, photo, '1')
      const paidUrls = new PaidUrls(() => proxy.origin)
      const pageFetch = drip.pageFetch(proxy.origin, {}, { tabId: 4 }, paidUrls)
      const challenge = Challenge.parse((await fetch(photo)).headers.get('www-authenticate'))
      const before = proxy.seen.length
      for (let i = 0; i < 3; i++) expect((await pageFetch(photo)).status).toBe(200)
      const seen = proxy.seen.slice(before)
      expect(seen.filter((request) => request.action === undefined)).toHaveLength(1)
      expect(seen.filter((request) => request.action !== undefined)).toHaveLength(3)
      expect((await drip.scope.payer.signed(proxy.origin, challenge))?.cumulative).toBe(30_000n)
      // The popup's header: what this tab's pages had Drip sign.
      expect(await drip.scope.tabSpend.of(4, proxy.origin)).toBe(30_000n)
      // A restarted site (a new HMAC key) no longer knows the kept challenge: it answers Drip's paid request 402 with
      // its current one, and Drip offers the same voucher again on it: still one photo, one unit.
      const kept = Challenge.parse(paidUrls.challengeFor(photo, 'GET'))
      paidUrls.remember(photo, 'GET', Challenge.serialize({ ...kept, challenge: { ...kept.challenge, id: 'not-this-sites-challenge' } }))
      const beforeForged = proxy.seen.length
      expect((await pageFetch(photo)).status).toBe(200)
      expect((await drip.scope.payer.signed(proxy.origin, challenge))?.cumulative).toBe(40_000n)
      // Two paid requests (the kept challenge, refused; the same voucher on the site's current one), and no unpaid GET.
      expect(proxy.seen.slice(beforeForged).map((request) => request.action)).toEqual(['voucher', 'voucher'])
      expect(await drip.scope.tabSpend.of(4, proxy.origin)).toBe(40_000n)
    } finally {
      await proxy.close()
    }
  })
})
