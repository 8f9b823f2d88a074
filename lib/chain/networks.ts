/**
 * The Tempo networks Drip can pay on. A challenge's `methodDetails.chainId`
 * selects one; chains the user has not enabled are refused.
 */
import type { Address, Chain } from 'viem'
import { tempo, tempoLocalnet, tempoModerato } from 'viem/chains'
import { Addresses } from 'viem/tempo'
import type { NetworkId } from '@/lib/protocol/views'

/** pathUSD, the stablecoin every Tempo network has: Drip always shows its balance. */
export const pathUsd: Address = Addresses.pathUsd

/** A token as the reader reads it: its symbol when Drip knows it, with the shortened address ("pathUSD (0x20c0…0000)"). */
export function tokenLabel(address: Address): string {
  const short = `${address.slice(0, 6)}…${address.slice(-4)}`
  return address.toLowerCase() === pathUsd.toLowerCase() ? `pathUSD (${short})` : short
}

export type Id = NetworkId

export type Network = {
  id: Id
  name: string
  chain: Chain
  defaultRpcUrl: string
  /** Test networks have a `tempo_fundAddress` faucet. */
  testnet: boolean
  /** Mainnet moves real money, so it stays off until the user turns it on. */
  enabledByDefault: boolean
}

export const localnet: Network = {
  id: 'localnet',
  name: 'Localnet',
  chain: tempoLocalnet,
  defaultRpcUrl: 'http://127.0.0.1:8545',
  testnet: true,
  enabledByDefault: true,
}

export const testnet: Network = {
  id: 'testnet',
  name: 'Tempo testnet (Moderato)',
  chain: tempoModerato,
  defaultRpcUrl: 'https://rpc.moderato.tempo.xyz',
  testnet: true,
  enabledByDefault: true,
}

export const mainnet: Network = {
  id: 'mainnet',
  name: 'Tempo mainnet',
  chain: tempo,
  defaultRpcUrl: 'https://rpc.tempo.xyz',
  testnet: false,
  enabledByDefault: false,
}

export const all: readonly Network[] = [localnet, testnet, mainnet]

export const defaultId: Id = 'localnet'

export function isId(value: unknown): value is Id {
  return all.some((network) => network.id === value)
}

export function fromId(id: Id): Network {
  const network = all.find((candidate) => candidate.id === id)
  if (!network) throw new Error(`Unknown network "${id}".`)
  return network
}

export function fromChainId(chainId: number): Network | undefined {
  return all.find((network) => network.chain.id === chainId)
}

/** Accepts only absolute http(s) URLs, so a typo cannot point Drip at a file or script URL. */
export function parseRpcUrl(input: string): string {
  let url: URL
  try {
    url = new URL(input.trim())
  } catch {
    throw new Error(`"${input}" is not a valid URL. Use http://host:port or https://host.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`RPC URLs must use http or https, not ${url.protocol.replace(':', '')}.`)
  return url.pathname === '/' && !url.search ? url.origin : url.href
}
