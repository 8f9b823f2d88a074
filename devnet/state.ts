/**
 * The devnet's world state: TIP-20 ledgers, channel reserve slots, nonces and
 * the expiring-nonce replay set. Plain data (Maps and bigints) so a block can
 * snapshot it with `structuredClone` and `--state` can persist it.
 */
import type { Address, Hex } from 'viem'

export type TokenState = {
  name: string
  symbol: string
  currency: string
  totalSupply: bigint
  balances: Map<Address, bigint>
  /** Keyed by `${owner}:${spender}`. */
  allowances: Map<string, bigint>
}

/** TIP-1034 packed channel state. A non-zero deposit marks an open channel. */
export type ChannelState = { settled: bigint; deposit: bigint; closeRequestedAt: number }

export type WorldState = {
  tokens: Map<Address, TokenState>
  channels: Map<Hex, ChannelState>
  /** Sequential nonces, keyed by `${address}:${nonceKey}` (key 0 is the protocol nonce). */
  nonces: Map<string, bigint>
  /** TIP-1009 replay protection: expiring nonce hash → its validBefore. */
  expiringNonces: Map<Hex, number>
  /** TIP-1034 reusable storage credits per payer (one per deleted channel slot). */
  storageCredits: Map<Address, bigint>
}

export function empty(): WorldState {
  return {
    tokens: new Map(),
    channels: new Map(),
    nonces: new Map(),
    expiringNonces: new Map(),
    storageCredits: new Map(),
  }
}

export function clone(state: WorldState): WorldState {
  return structuredClone(state)
}

/** Addresses are stored lowercased so lookups never depend on checksum casing. */
export function key(address: string): Address {
  return address.toLowerCase() as Address
}

export function balanceOf(state: WorldState, token: Address, owner: Address): bigint {
  return state.tokens.get(key(token))?.balances.get(key(owner)) ?? 0n
}

export function nonceOf(state: WorldState, address: Address, nonceKey = 0n): bigint {
  return state.nonces.get(`${key(address)}:${nonceKey}`) ?? 0n
}

export function setNonce(state: WorldState, address: Address, nonceKey: bigint, value: bigint) {
  state.nonces.set(`${key(address)}:${nonceKey}`, value)
}
