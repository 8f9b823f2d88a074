/**
 * The challenge firewall's first half: read a `WWW-Authenticate: Payment`
 * header into a Tempo session challenge Drip understands, and refuse what it
 * must never sign for (malformed, other intents, a non-canonical escrow, a
 * chain the user has not enabled, an expired challenge). Per-site checks
 * (pinned recipient, currency, chain, price ceiling, cap) are the policy's.
 */
import { Challenge } from 'mppx'
import { type Address, isAddress, isAddressEqual } from 'viem'
import { Addresses } from 'viem/tempo'
import { type RawAmount, readRawAmount } from '@/lib/shared/amounts'

/** TIP-1034's reserve: the only escrow Drip deposits into. */
export const canonicalEscrow = Addresses.tip20ChannelReserve

export type SessionChallenge = {
  /** The parsed challenge, as mppx's client needs it to build a credential. */
  challenge: Challenge.Challenge
  /** Price per unit. */
  amount: RawAmount
  unitType: string
  currency: Address
  recipient: Address
  suggestedDeposit: RawAmount | undefined
  chainId: number
  escrow: Address
  expires: Date | undefined
  realm: string
  /** The server offers a channel state of its own (`sessionSnapshot`); Drip never signs from it. */
  hasSessionSnapshot: boolean
}

export type RefusalCode =
  | 'malformed'
  | 'unsupported'
  | 'escrow'
  | 'chainDisabled'
  | 'expired'
  | 'cap'
  | 'revoked'
  | 'termsChanged'
  | 'snapshot'

/** A challenge or signature Drip will not make, with the reason in words for the user and the log. */
export class RefusedError extends Error {
  override name = 'RefusedError'
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message)
  }
}

/** Parses a WWW-Authenticate value (possibly listing several challenges) and picks the Tempo session one. */
export function parse(header: string | null | undefined): SessionChallenge {
  if (!header) throw new RefusedError('malformed', 'The 402 response carries no WWW-Authenticate: Payment challenge.')
  let challenges: Challenge.Challenge[]
  try {
    challenges = Challenge.fromHeadersList(new Headers({ 'www-authenticate': header }))
  } catch (error) {
    throw new RefusedError('malformed', `The payment challenge is malformed: ${(error as Error).message.split('\n')[0]}`)
  }
  const challenge = challenges.find((c) => c.method === 'tempo' && c.intent === 'session')
  if (!challenge) {
    const offered = challenges.map((c) => `${c.method}/${c.intent}`).join(', ') || 'nothing'
    throw new RefusedError('unsupported', `Drip pays Tempo sessions; this site asks for ${offered}.`)
  }
  const request = challenge.request as Record<string, unknown>
  const details = (request.methodDetails ?? {}) as Record<string, unknown>
  const amount = rawAmount(request.amount, 'amount')
  if (amount === 0n) throw new RefusedError('malformed', 'The challenge asks for a zero price per unit.')
  const suggestedDeposit = request.suggestedDeposit === undefined ? undefined : rawAmount(request.suggestedDeposit, 'suggestedDeposit')
  const chainId = details.chainId
  if (typeof chainId !== 'number' || !Number.isSafeInteger(chainId) || chainId <= 0)
    throw new RefusedError('malformed', 'The challenge does not name a chain.')
  const unitType = request.unitType
  if (typeof unitType !== 'string' || !/^[\w .-]{1,32}$/.test(unitType))
    throw new RefusedError('malformed', 'The challenge has no readable unit type.')
  const expires = challenge.expires ? new Date(challenge.expires) : undefined
  if (expires && Number.isNaN(expires.getTime())) throw new RefusedError('malformed', 'The challenge has an unreadable expiry.')
  return {
    challenge,
    amount,
    unitType,
    currency: address(request.currency, 'currency'),
    recipient: address(request.recipient, 'recipient'),
    suggestedDeposit,
    chainId,
    escrow: address(details.escrowContract ?? canonicalEscrow, 'escrow contract'),
    expires,
    realm: challenge.realm,
    hasSessionSnapshot: details.sessionSnapshot !== undefined,
  }
}

/** Chain-level checks that hold for every site. */
export function screen(parsed: SessionChallenge, options: { enabledChainIds: readonly number[]; now?: Date }) {
  if (!isAddressEqual(parsed.escrow, canonicalEscrow))
    throw new RefusedError('escrow', `The challenge names escrow ${parsed.escrow}, not Tempo's channel reserve ${canonicalEscrow}. Drip only deposits into the reserve.`)
  if (!options.enabledChainIds.includes(parsed.chainId))
    throw new RefusedError('chainDisabled', `The site wants payment on chain ${parsed.chainId}, which is not enabled in Drip's settings.`)
  if (parsed.expires && parsed.expires.getTime() <= (options.now ?? new Date()).getTime())
    throw new RefusedError('expired', `The payment challenge expired at ${parsed.expires.toISOString()}.`)
}

function rawAmount(value: unknown, field: string): RawAmount {
  const amount = readRawAmount(value)
  if (amount === undefined) throw new RefusedError('malformed', `The challenge's ${field} is not an amount that fits in uint96.`)
  return amount
}

function address(value: unknown, field: string): Address {
  if (typeof value !== 'string' || !isAddress(value, { strict: false })) throw new RefusedError('malformed', `The challenge's ${field} is not an address.`)
  return value as Address
}
