/** Builds real `WWW-Authenticate: Payment` headers with mppx, for firewall and policy tests. */
import { Challenge } from 'mppx'

export const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
export const pathUsd = '0x20c0000000000000000000000000000000000000'
export const alphaUsd = '0x20c0000000000000000000000000000000000001'
export const reserve = '0x4d50500000000000000000000000000000000000'

export type ChallengeOverrides = {
  amount?: string
  unitType?: string
  currency?: string
  recipient?: string
  suggestedDeposit?: string | undefined
  chainId?: number
  escrowContract?: string
  expires?: string
  method?: string
  intent?: string
}

export function sessionChallengeHeader(overrides: ChallengeOverrides = {}): string {
  const request: Record<string, unknown> = {
    amount: overrides.amount ?? '10000',
    unitType: overrides.unitType ?? 'photo',
    currency: overrides.currency ?? pathUsd,
    recipient: overrides.recipient ?? recipient,
    methodDetails: { chainId: overrides.chainId ?? 1337, escrowContract: overrides.escrowContract ?? reserve },
  }
  if (!('suggestedDeposit' in overrides)) request.suggestedDeposit = '1000000'
  else if (overrides.suggestedDeposit !== undefined) request.suggestedDeposit = overrides.suggestedDeposit
  return Challenge.serialize(
    Challenge.from({
      id: 'test-challenge',
      realm: 'demo.test',
      method: overrides.method ?? 'tempo',
      intent: overrides.intent ?? 'session',
      request,
      ...(overrides.expires ? { expires: overrides.expires } : {}),
    }),
  )
}

/** A `tempo/charge` challenge (mppx `tempo.charge`) with the given request fields over the defaults. */
export function chargeChallengeHeader(overrides: { amount?: string; recipient?: string; methodDetails?: Record<string, unknown>; description?: string } = {}): string {
  return Challenge.serialize(
    Challenge.from({
      id: 'test-charge',
      realm: 'demo.test',
      method: 'tempo',
      intent: 'charge',
      request: {
        amount: overrides.amount ?? '50000',
        currency: pathUsd,
        recipient: overrides.recipient ?? recipient,
        methodDetails: { chainId: 1337, ...overrides.methodDetails },
      },
      ...(overrides.description === undefined ? {} : { description: overrides.description }),
    }),
  )
}
