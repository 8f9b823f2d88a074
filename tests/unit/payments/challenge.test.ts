import { describe, expect, test } from 'vitest'
import * as Challenge from '@/lib/payments/challenge'
import { alphaUsd, chargeChallengeHeader, pathUsd, recipient, reserve, sessionChallengeHeader } from '../../support/challenges'

const enabled = { enabledChainIds: [1337, 42431] }

describe('Challenge.parse', () => {
  test('reads the seed photo challenge', () => {
    const parsed = Challenge.parse(sessionChallengeHeader())
    expect(parsed).toMatchObject({
      amount: 10_000n,
      unitType: 'photo',
      currency: pathUsd,
      recipient,
      suggestedDeposit: 1_000_000n,
      chainId: 1337,
      escrow: reserve,
      realm: 'demo.test',
    })
    expect(() => Challenge.screen(parsed, enabled)).not.toThrow()
  })

  test('picks the Tempo session challenge out of a list', () => {
    const header = `${sessionChallengeHeader({ intent: 'charge' })}, ${sessionChallengeHeader({ unitType: 'word', amount: '1000' })}`
    expect(Challenge.parse(header)).toMatchObject({ unitType: 'word', amount: 1000n })
  })

  test.each([
    ['no header', undefined, 'malformed', 'carries no WWW-Authenticate'],
    ['garbage', 'Payment ???', 'malformed', 'a payment challenge Drip cannot read'],
    ['another scheme', 'Bearer realm="x"', 'malformed', 'a payment challenge Drip cannot read'],
    ['a charge intent', sessionChallengeHeader({ intent: 'charge' }), 'unsupported', 'asks for tempo/charge'],
    ['another method', sessionChallengeHeader({ method: 'stripe' }), 'unsupported', 'asks for stripe/session'],
    ['a non-numeric amount', sessionChallengeHeader({ amount: '1e6' }), 'malformed', "amount is not an amount"],
    ['a zero price', sessionChallengeHeader({ amount: '0' }), 'malformed', 'zero price'],
    ['an amount beyond uint96', sessionChallengeHeader({ amount: (1n << 96n).toString() }), 'malformed', 'uint96'],
    ['a bad recipient', sessionChallengeHeader({ recipient: '0x1234' }), 'malformed', 'recipient is not an address'],
    ['a bad currency', sessionChallengeHeader({ currency: 'pathUSD' }), 'malformed', 'currency is not an address'],
    ['no chain', sessionChallengeHeader({ chainId: 0 }), 'malformed', 'does not name a chain'],
    ['a hostile unit type', sessionChallengeHeader({ unitType: '<script>' }), 'malformed', 'unit type'],
  ])('refuses %s', (_name, header, code, message) => {
    const error = captureRefusal(() => Challenge.parse(header))
    expect(error.code).toBe(code)
    expect(error.message).toContain(message)
  })

  test.each([
    // Red-team finding 5 of round two: an unapproved page made Drip's own notice carry the site's instructions.
    ['an invalid method', 'Payment id="x", realm="r", method="drip security check: your wallet was reset, re-enter your 12-word recovery phrase at https://evil.test", intent="session", request="e30"'],
    ['a well-formed method of its own words', sessionChallengeHeader({ method: 'reenter-your-phrase-at-evil-test-now' })],
    ['an intent of its own words', sessionChallengeHeader({ intent: 'visit https://evil.test' })],
  ])('a site’s own text never becomes Drip’s words: %s', (_name, header) => {
    const error = captureRefusal(() => Challenge.parseOffer(header))
    expect(error.message).not.toMatch(/phrase|evil|visit|security/i)
  })
})

describe('Challenge.screen', () => {
  test('refuses a non-canonical escrow', () => {
    const parsed = Challenge.parse(sessionChallengeHeader({ escrowContract: '0xe1c4d3dce17bc111181ddf716f75bae49e61a336' }))
    expect(captureRefusal(() => Challenge.screen(parsed, enabled))).toMatchObject({ code: 'escrow' })
  })

  test('refuses a chain the user has not enabled (mainnet is off by default)', () => {
    const parsed = Challenge.parse(sessionChallengeHeader({ chainId: 4217 }))
    const error = captureRefusal(() => Challenge.screen(parsed, enabled))
    expect(error).toMatchObject({ code: 'chainDisabled' })
    expect(error.message).toBe("The site wants payment on chain 4217, which is not enabled in Drip's settings.")
  })

  test('refuses an expired challenge', () => {
    const parsed = Challenge.parse(sessionChallengeHeader({ expires: '2020-01-01T00:00:00.000Z' }))
    expect(captureRefusal(() => Challenge.screen(parsed, enabled))).toMatchObject({ code: 'expired' })
    const future = Challenge.parse(sessionChallengeHeader({ expires: new Date(Date.now() + 60_000).toISOString(), currency: alphaUsd }))
    expect(() => Challenge.screen(future, enabled)).not.toThrow()
  })
})

function captureRefusal(run: () => unknown): Challenge.RefusedError {
  try {
    run()
  } catch (error) {
    if (error instanceof Challenge.RefusedError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

describe('Challenge.parseOffer: a session, else a one-shot charge', () => {
  test('reads a charge as one payment of its amount to its recipient, under the one-time unit', () => {
    const parsed = Challenge.parseOffer(chargeChallengeHeader({ description: 'One article, to keep' }))
    expect(parsed).toMatchObject({ intent: 'charge', amount: 50_000n, unitType: 'one-time payment', recipient, currency: pathUsd, chainId: 1337, description: 'One article, to keep' })
    expect(() => Challenge.screen(parsed, enabled)).not.toThrow()
    expect(() => Challenge.screen(parsed, { enabledChainIds: [42431] })).toThrow(expect.objectContaining({ code: 'chainDisabled' }))
  })

  test('prefers the session when a site offers both (metered and refundable)', () => {
    const header = `${chargeChallengeHeader()}, ${sessionChallengeHeader({ unitType: 'word', amount: '1000' })}`
    expect(Challenge.parseOffer(header)).toMatchObject({ intent: 'session', unitType: 'word' })
    expect(() => Challenge.parse(chargeChallengeHeader())).toThrow(expect.objectContaining({ code: 'unsupported' }))
  })

  test.each([
    ['a zero charge (a proof of the account, not a payment)', chargeChallengeHeader({ amount: '0' }), 'unsupported', 'prove who you are'],
    ['a charge split to other recipients', chargeChallengeHeader({ methodDetails: { splits: [{ recipient: alphaUsd, amount: '1' }] } }), 'unsupported', 'several recipients'],
    ['a machine-token route', chargeChallengeHeader({ methodDetails: { machineTokenEnabled: true } }), 'unsupported', 'machine token'],
    ['no chain', chargeChallengeHeader({ methodDetails: { chainId: undefined } }), 'malformed', 'does not name a chain'],
    ['an amount past uint96', chargeChallengeHeader({ amount: (1n << 96n).toString() }), 'malformed', 'uint96'],
    ['a session pricing its units as the one-time unit', sessionChallengeHeader({ unitType: 'one-time payment' }), 'malformed', 'the name Drip gives one-shot charges'],
  ])('refuses %s', (_, header, code, message) => {
    expect(() => Challenge.parseOffer(header)).toThrow(expect.objectContaining({ code, message: expect.stringContaining(message) }))
  })

  test('a long description is cut to 200 characters', () => {
    expect((Challenge.parseOffer(chargeChallengeHeader({ description: 'x'.repeat(5000) })) as Challenge.ChargeChallenge).description).toHaveLength(200)
  })
})
