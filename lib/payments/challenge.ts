/**
 * The challenge firewall's first half: read a `WWW-Authenticate: Payment`
 * header into a Tempo challenge Drip understands (a session, or a one-shot
 * charge), and refuse what it must never sign for (malformed, other
 * methods, a non-canonical escrow, a chain the user has not enabled, an
 * expired challenge, a charge split to other recipients). Per-site checks
 * (pinned recipient, currency, chain, price ceiling, cap) are the policy's.
 */
import { Challenge } from 'mppx'
import { type Address, isAddress, isAddressEqual } from 'viem'
import { Addresses } from 'viem/tempo'
import { type RawAmount, readRawAmount } from '@/lib/shared/amounts'
import { oneTimeUnit } from './units'

/** TIP-1034's reserve: the only escrow Drip deposits into. */
export const canonicalEscrow = Addresses.tip20ChannelReserve

export type SessionChallenge = {
  intent: 'session'
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

/**
 * A one-shot payment (mppx `tempo.charge`): one TIP-20 transfer of `amount`
 * to `recipient`, signed by Drip and broadcast by the site.
 */
export type ChargeChallenge = {
  intent: 'charge'
  challenge: Challenge.Challenge
  /** The whole payment. */
  amount: RawAmount
  /** Always `oneTimeUnit`: a charge is priced and approved as one "unit" of its own kind. */
  unitType: typeof oneTimeUnit
  currency: Address
  recipient: Address
  suggestedDeposit: undefined
  chainId: number
  expires: Date | undefined
  realm: string
  /** What the site says it sells, cut to 200 characters; shown, never trusted. */
  description: string | undefined
}

export type PaymentChallenge = SessionChallenge | ChargeChallenge

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
  | 'budget'
  | 'paused'
  /** The site answered a voucher, top-up or stream with an error. */
  | 'siteRefused'

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
  const challenges = readAll(header)
  const challenge = challenges.find((c) => c.method === 'tempo' && c.intent === 'session')
  if (!challenge) throw new RefusedError('unsupported', `Drip pays Tempo sessions here; this site asks for ${offered(challenges)}.`)
  return sessionOf(challenge)
}

/** The `WWW-Authenticate` value of one parsed challenge, as `parse` reads it back (mppx's own serialization). */
export function serialize(parsed: PaymentChallenge): string {
  return Challenge.serialize(parsed.challenge)
}

/** A page's 402: the Tempo session if the site offers one (metered, refundable), else its Tempo one-shot charge. */
export function parseOffer(header: string | null | undefined): PaymentChallenge {
  const challenges = readAll(header)
  const session = challenges.find((c) => c.method === 'tempo' && c.intent === 'session')
  if (session) return sessionOf(session)
  const charge = challenges.find((c) => c.method === 'tempo' && c.intent === 'charge')
  if (charge) return chargeOf(charge)
  throw new RefusedError('unsupported', `Drip pays Tempo sessions and one-time charges; this site asks for ${offered(challenges)}.`)
}

function readAll(header: string | null | undefined): Challenge.Challenge[] {
  if (!header) throw new RefusedError('malformed', 'The 402 response carries no WWW-Authenticate: Payment challenge.')
  try {
    return Challenge.fromHeadersList(new Headers({ 'www-authenticate': header }))
  } catch (error) {
    // mppx's message quotes the site's own text; Drip's notices speak in Drip's words only.
    throw new RefusedError('malformed', 'The site sent a payment challenge Drip cannot read, so Drip paid nothing.')
  }
}

/** The methods a site offers, named only when they are plain method names (a site's text is never Drip's words). */
function offered(challenges: Challenge.Challenge[]): string {
  const plain = (name: unknown) => (typeof name === 'string' && /^[a-z0-9-]{1,20}$/.test(name) ? name : 'another kind')
  return [...new Set(challenges.map((c) => `${plain(c.method)}/${plain(c.intent)}`))].slice(0, 4).join(', ') || 'nothing'
}

function sessionOf(challenge: Challenge.Challenge): SessionChallenge {
  const request = challenge.request as Record<string, unknown>
  const details = (request.methodDetails ?? {}) as Record<string, unknown>
  const amount = rawAmount(request.amount, 'amount')
  if (amount === 0n) throw new RefusedError('malformed', 'The challenge asks for a zero price per unit.')
  const suggestedDeposit = request.suggestedDeposit === undefined ? undefined : rawAmount(request.suggestedDeposit, 'suggestedDeposit')
  const chainId = chainOf(details)
  const unitType = request.unitType
  if (typeof unitType !== 'string' || !/^[\w .-]{1,32}$/.test(unitType))
    throw new RefusedError('malformed', 'The challenge has no readable unit type.')
  if (unitType === oneTimeUnit) throw new RefusedError('malformed', `A session may not price its units as "${oneTimeUnit}", the name Drip gives one-shot charges.`)
  return {
    intent: 'session',
    challenge,
    amount,
    unitType,
    currency: address(request.currency, 'currency'),
    recipient: address(request.recipient, 'recipient'),
    suggestedDeposit,
    chainId,
    escrow: address(details.escrowContract ?? canonicalEscrow, 'escrow contract'),
    expires: expiryOf(challenge),
    realm: challenge.realm,
    hasSessionSnapshot: details.sessionSnapshot !== undefined,
  }
}

function chargeOf(challenge: Challenge.Challenge): ChargeChallenge {
  const request = challenge.request as Record<string, unknown>
  const details = (request.methodDetails ?? {}) as Record<string, unknown>
  const amount = rawAmount(request.amount, 'amount')
  // mppx answers a zero charge with a signed proof of the account: that is identification, not payment.
  if (amount === 0n) throw new RefusedError('unsupported', 'The site asks Drip to prove who you are (a zero charge); Drip only pays.')
  if (details.splits !== undefined) throw new RefusedError('unsupported', 'The charge splits the payment between several recipients; Drip pays one approved recipient.')
  if (details.machineTokenEnabled === true) throw new RefusedError('unsupported', 'The charge asks to be funded through a machine token; Drip pays from the account itself.')
  const chainId = chainOf(details)
  const description = typeof challenge.description === 'string' ? challenge.description.slice(0, 200) : undefined
  return {
    intent: 'charge',
    challenge,
    amount,
    unitType: oneTimeUnit,
    currency: address(request.currency, 'currency'),
    recipient: address(request.recipient, 'recipient'),
    suggestedDeposit: undefined,
    chainId,
    expires: expiryOf(challenge),
    realm: challenge.realm,
    description,
  }
}

function chainOf(details: Record<string, unknown>): number {
  const chainId = details.chainId
  if (typeof chainId !== 'number' || !Number.isSafeInteger(chainId) || chainId <= 0)
    throw new RefusedError('malformed', 'The challenge does not name a chain.')
  return chainId
}

function expiryOf(challenge: Challenge.Challenge): Date | undefined {
  const expires = challenge.expires ? new Date(challenge.expires) : undefined
  if (expires && Number.isNaN(expires.getTime())) throw new RefusedError('malformed', 'The challenge has an unreadable expiry.')
  return expires
}

/** Chain-level checks that hold for every site. */
export function screen(parsed: PaymentChallenge, options: { enabledChainIds: readonly number[]; now?: Date }) {
  if (parsed.intent === 'session' && !isAddressEqual(parsed.escrow, canonicalEscrow))
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
