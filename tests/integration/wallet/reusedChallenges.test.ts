/**
 * Declared streams reuse the challenge an earlier stream of the same URL
 * read (`freshChallenges.ts`, `portServer.authorizeStream`), against the
 * demo site on the devnet: the 402 round trip is skipped on an open
 * channel, a kept challenge the site no longer takes costs nothing extra,
 * and one the policy would not pay is never tried.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { poemWords } from '@/demo/content'
import * as Challenge from '@/lib/payments/challenge'
import { FreshChallenges } from '@/lib/payments/freshChallenges'
import * as Driver from '@/lib/streams/driver'
import { authorizeStream } from '@/lib/streams/portServer'
import { startDevnetAndDemo } from '../../support/demoSite'
import { readerScope } from '../../support/readerScope'

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
  const fetch: typeof globalThis.fetch = (input, init) => {
    if (!new Headers(init?.headers).has('authorization')) challengeReads.push(String(input))
    return drip.scope.fetch(input, init)
  }
  const scope = { ...drip.scope, fetch }
  const challenges = new FreshChallenges()
  /** One declared stream of the poem, as the stream server runs it: authorize (maybe on a kept challenge), keep, meter. */
  const stream = async (onCurrentChallenge?: (challenge: Challenge.SessionChallenge) => void) => {
    const authorized = await authorizeStream(scope, challenges, origin, url, undefined)
    if (authorized.outcome !== 'authorized' || authorized.challenge.intent !== 'session') throw new Error(`not authorized: ${JSON.stringify(authorized)}`)
    const keep = (challenge: Challenge.SessionChallenge) => challenges.keep(origin, url, Challenge.serialize(challenge), challenge.expires)
    if (!authorized.reused) keep(authorized.challenge)
    const words: string[] = []
    const end = await Driver.run(
      { payer: scope.payer, ledger: scope.ledger, fetch },
      {
        origin,
        url,
        challenge: authorized.challenge,
        approval: authorized.approval,
        lookaheadUnits: 0,
        signal: new AbortController().signal,
        reusedChallenge: authorized.reused,
        onCurrentChallenge: (current) => {
          keep(current)
          onCurrentChallenge?.(current)
        },
      },
      (update) => void (update.type === 'message' && words.push(update.data)),
    )
    return { end, words: words.slice(1), reused: authorized.reused, challenge: authorized.challenge }
  }
  const cumulative = async (challenge: Challenge.SessionChallenge) => (await scope.payer.signed(origin, challenge))?.cumulative
  return { drip, origin, url, challenges, challengeReads, stream, cumulative }
}

describe('declared streams on a kept challenge', () => {
  test('the second stream of a URL skips the 402 round trip on the open channel, and pays exactly its words', async () => {
    const { stream, challengeReads, cumulative } = await reader(2)
    const first = await stream()
    expect([first.reused, first.end.reason, first.words]).toEqual([false, 'complete', poemWords])
    expect(challengeReads).toHaveLength(1)
    const second = await stream()
    expect([second.reused, second.end.reason, second.words]).toEqual([true, 'complete', poemWords])
    expect(challengeReads).toHaveLength(1)
    expect(second.end.signed).toBe(poemCost.toString())
    expect(await cumulative(second.challenge)).toBe(2n * poemCost)
  })

  test('a kept challenge the site no longer takes: the same unit is offered again on its current challenge; every word once, nothing paid twice', async () => {
    const { stream, challenges, origin, url, cumulative } = await reader(3)
    const first = await stream()
    // What a restarted site (a new HMAC key) or an expiry does to a kept challenge: the site does not recognise it.
    const forged = { ...first.challenge, challenge: { ...first.challenge.challenge, id: 'not-this-sites-challenge' } }
    challenges.keep(origin, url, Challenge.serialize(forged), first.challenge.expires)
    const current = vi.fn()
    const second = await stream(current)
    expect([second.reused, second.end.reason, second.words]).toEqual([true, 'complete', poemWords])
    expect(current).toHaveBeenCalledOnce()
    expect(current.mock.calls[0]![0].challenge.id).not.toBe('not-this-sites-challenge')
    expect(await cumulative(second.challenge)).toBe(2n * poemCost)
    // The site's current challenge is kept for the next stream.
    const third = await stream()
    expect([third.reused, third.end.reason]).toEqual([true, 'complete'])
    expect(await cumulative(third.challenge)).toBe(3n * poemCost)
  })

  test('no open channel: a kept challenge is not used (an open is always signed on a challenge just read)', async () => {
    const { stream, challenges, origin, url, challengeReads, drip, cumulative } = await reader(4)
    const header = (await fetch(url)).headers.get('www-authenticate')!
    challenges.keep(origin, url, header, undefined)
    const first = await stream()
    expect(first.reused).toBe(false)
    expect(challengeReads).toHaveLength(1)
    expect(await cumulative(first.challenge)).toBe(poemCost)
    expect(await drip.scope.approvals.pending()).toEqual([])
  })

  test('terms the approval does not cover: the kept challenge is dropped untried, and the site’s own is read', async () => {
    const { stream, challenges, origin, url, challengeReads, drip } = await reader(5)
    await stream()
    const photo = Challenge.parse((await fetch(`${origin}/api/sessions/photo`)).headers.get('www-authenticate'))
    challenges.keep(origin, url, Challenge.serialize(photo), photo.expires)
    const second = await stream()
    expect([second.reused, second.end.reason, second.words.length]).toEqual([false, 'complete', poemWords.length])
    expect(challengeReads).toHaveLength(2)
    expect(await drip.scope.approvals.pending()).toEqual([])
  })
})
