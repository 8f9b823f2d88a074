import { describe, expect, test } from 'vitest'
import * as Challenge from '@/lib/payments/challenge'
import * as Policy from '@/lib/payments/policy'
import * as WaitingRequests from '@/lib/payments/waitingRequests'
import { chargeChallengeHeader, sessionChallengeHeader } from '../../support/challenges'

const origin = 'http://127.0.0.1:3000'
const api = 'http://localhost:3000'
const words = Challenge.parse(sessionChallengeHeader({ unitType: 'word', amount: '1000' }))
const photosFromApi: Policy.Terms = { ...Challenge.parse(sessionChallengeHeader()), resourceOrigin: api }
const purchase = Challenge.parseOffer(chargeChallengeHeader({ amount: '500000' })) as Challenge.ChargeChallenge
const elsewhere = Challenge.parse(sessionChallengeHeader({ unitType: 'word', amount: '1000', recipient: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' }))

/** The site waiting with its words first, then what its pages asked for meanwhile. */
function waiting(...later: Policy.Terms[]): WaitingRequests.PendingRequest {
  return later.reduce(WaitingRequests.withAlso, WaitingRequests.pendingFrom(words, origin, undefined, 1))
}
const typed = { maxDeposit: 5_000_000n, perPaymentLimit: 100_000n }

describe('a site’s waiting requests', () => {
  test('what its pages ask for meanwhile waits beside the first request, once each, a few at most; the first terms stay', () => {
    const pending = waiting(photosFromApi, photosFromApi, words, purchase)
    expect(WaitingRequests.termsOf(pending)).toMatchObject({ unitType: 'word', amount: 1000n })
    expect(pending.also?.map((a) => [a.unitType, a.resourceOrigin])).toEqual([
      ['photo', api],
      ['one-time payment', undefined],
    ])
    const flooded = Array.from({ length: 20 }, (_, i) => Challenge.parse(sessionChallengeHeader({ unitType: `unit${i}` }))).reduce(WaitingRequests.withAlso, pending)
    expect(flooded.also).toHaveLength(WaitingRequests.maxAlsoWaiting)
  })

  test.each([
    // seen by the reader, typed figures → APIs joined, what still waits (in order)
    ['the API the reader saw joins the approval by name', [photosFromApi], typed, [api], ['one-time payment', 'word']],
    ['nothing seen beside the first: all of it still waits', [], typed, [], ['photo', 'one-time payment', 'word']],
    ['a purchase above the typed limit still waits', [purchase], typed, [], ['photo', 'one-time payment', 'word']],
    ['a purchase within a higher typed limit is covered', [purchase], { maxDeposit: 5_000_000n, perPaymentLimit: 500_000n }, [], ['photo', 'word']],
    ['another payee still waits, as a request of its own', [elsewhere], typed, [], ['photo', 'one-time payment', 'word']],
  ] as const)('one Approve: %s', (_name, seen, figures, apiOrigins, left) => {
    const { approval, stillWaiting } = WaitingRequests.approveWaiting(waiting(photosFromApi, purchase, elsewhere), figures, undefined, [...seen], 2)
    expect(approval.apiOrigins ?? []).toEqual(apiOrigins)
    expect(stillWaiting ? [stillWaiting.unitType, ...(stillWaiting.also ?? []).map((a) => a.unitType)] : []).toEqual(left)
    // The words the site asked for first are approved; a request it covered is paid, one still waiting asks again.
    expect(Policy.decide(words, approval).kind).toBe('pay')
    for (const terms of seen) expect(Policy.decide(terms, approval).kind).toBe(left.includes(terms.unitType as never) ? 'ask' : 'pay')
  })

  test('a unit of the same payee within the limit is covered whether or not the reader read its line', () => {
    const photos = Challenge.parse(sessionChallengeHeader())
    const { approval, stillWaiting } = WaitingRequests.approveWaiting(waiting(photos), typed, undefined, [], 2)
    expect(stillWaiting).toBeUndefined()
    expect(Policy.decide(photos, approval).kind).toBe('pay')
  })

  test('approving never lowers the cap of a site approved before, and leaves nothing waiting when all is covered', () => {
    const existing = Policy.approvalFor(words, origin, { maxDeposit: 9_000_000n, perPaymentLimit: 100_000n })
    const { approval, stillWaiting } = WaitingRequests.approveWaiting(waiting(photosFromApi), { maxDeposit: 1_000_000n }, existing, [photosFromApi])
    expect(approval).toMatchObject({ maxDeposit: '9000000', apiOrigins: [api] })
    expect(stillWaiting).toBeUndefined()
  })
})
