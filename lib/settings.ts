/** The user's choices, persisted in `browser.storage.local`: networks, default cap. */
import { type Client, createClient, defineChain, http } from 'viem'
import { storage } from 'wxt/utils/storage'
import * as Networks from './networks'

export type NetworkSettings = {
  /** The network the popup shows balances and status for. */
  activeId: Networks.Id
  /** RPC URLs the user typed, by network; absent means the network's default. */
  rpcUrls: Partial<Record<Networks.Id, string>>
  /** Explicit on/off per network; absent means the network's default (mainnet is off). */
  enabled: Partial<Record<Networks.Id, boolean>>
}

const networkSettings = storage.defineItem<NetworkSettings>('local:settings.networks', {
  fallback: { activeId: Networks.defaultId, rpcUrls: {}, enabled: {} },
})

/** $5: the default cap suggested for a new approval when the site suggests more. */
export const fallbackDefaultCap = 5_000_000n
const defaultCapItem = storage.defineItem<string>('local:settings.defaultCap', { fallback: fallbackDefaultCap.toString() })

export type NetworkState = { network: Networks.Network; rpcUrl: string; enabled: boolean }

async function read(): Promise<NetworkSettings> {
  const settings = await networkSettings.getValue()
  return { activeId: settings.activeId, rpcUrls: settings.rpcUrls ?? {}, enabled: settings.enabled ?? {} }
}

function stateOf(settings: NetworkSettings, network: Networks.Network): NetworkState {
  return {
    network,
    rpcUrl: settings.rpcUrls[network.id] ?? network.defaultRpcUrl,
    enabled: settings.enabled[network.id] ?? network.enabledByDefault,
  }
}

export async function networks(): Promise<NetworkState[]> {
  const settings = await read()
  return Networks.all.map((network) => stateOf(settings, network))
}

export type ActiveNetwork = { network: Networks.Network; rpcUrl: string }

export async function getActiveNetwork(): Promise<ActiveNetwork> {
  const settings = await read()
  return stateOf(settings, Networks.fromId(settings.activeId))
}

export async function setActiveNetwork(id: Networks.Id): Promise<void> {
  if (!Networks.isId(id)) throw new Error(`Unknown network "${String(id)}".`)
  const settings = await read()
  if (!stateOf(settings, Networks.fromId(id)).enabled) throw new Error(`${Networks.fromId(id).name} is turned off. Enable it first.`)
  await networkSettings.setValue({ ...settings, activeId: id })
}

/** Validates and stores a network's RPC URL. An empty string restores the default. */
export async function setRpcUrl(id: Networks.Id, input: string): Promise<void> {
  if (!Networks.isId(id)) throw new Error(`Unknown network "${String(id)}".`)
  const settings = await read()
  const rpcUrls = { ...settings.rpcUrls }
  if (input.trim() === '') delete rpcUrls[id]
  else rpcUrls[id] = Networks.parseRpcUrl(input)
  await networkSettings.setValue({ ...settings, rpcUrls })
}

export async function setNetworkEnabled(id: Networks.Id, enabled: boolean): Promise<void> {
  if (!Networks.isId(id)) throw new Error(`Unknown network "${String(id)}".`)
  const settings = await read()
  if (!enabled && settings.activeId === id) throw new Error('Switch to another network before turning this one off.')
  await networkSettings.setValue({ ...settings, enabled: { ...settings.enabled, [id]: enabled } })
}

export async function enabledChainIds(): Promise<number[]> {
  return (await networks()).filter((n) => n.enabled).map((n) => n.network.chain.id)
}

/** Clients by chain and RPC URL: mppx asks for one on every credential, so they are built once. */
const clients = new Map<string, Client>()

/** A viem client for an enabled chain, at the user's RPC URL for it. */
export async function clientFor(chainId: number): Promise<Client> {
  const network = Networks.fromChainId(chainId)
  if (!network) throw new Error(`Drip does not know chain ${chainId}.`)
  const state = stateOf(await read(), network)
  if (!state.enabled) throw new Error(`${network.name} (chain ${chainId}) is turned off in Drip's settings.`)
  const key = `${chainId} ${state.rpcUrl}`
  let client = clients.get(key)
  if (!client)
    clients.set(
      key,
      (client = createClient({
        chain: defineChain({ ...network.chain, rpcUrls: { default: { http: [state.rpcUrl] } } }),
        transport: http(state.rpcUrl, { retryCount: 1, timeout: 15_000 }),
      })),
    )
  return client
}

export async function defaultCap(): Promise<bigint> {
  return BigInt(await defaultCapItem.getValue())
}

export async function setDefaultCap(raw: bigint): Promise<void> {
  if (raw <= 0n) throw new Error('The default cap must be more than zero.')
  await defaultCapItem.setValue(raw.toString())
}

/**
 * Stream units Drip may sign beyond what a site delivered, to save a round
 * trip per unit. 0 pays exactly as delivered; more is faster, and the most
 * a site could take without delivering is this many units.
 */
const lookaheadItem = storage.defineItem<number>('local:settings.streamLookahead', { fallback: 0 })
export const maxLookaheadUnits = 1_000

export async function lookaheadUnits(): Promise<number> {
  return lookaheadItem.getValue()
}

export async function setLookaheadUnits(units: number): Promise<void> {
  if (!Number.isInteger(units) || units < 0 || units > maxLookaheadUnits)
    throw new Error(`Signing ahead takes a whole number of units from 0 to ${maxLookaheadUnits}.`)
  await lookaheadItem.setValue(units)
}
