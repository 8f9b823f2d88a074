/** The reader's network choices: the active network, RPC URLs, networks on or off. */
import * as Schema from '@/lib/storage/schema'
import * as Networks from './networks'

export type NetworkSettings = {
  /** The network the popup shows balances and status for. */
  activeId: Networks.Id
  /** RPC URLs the user typed, by network; absent means the network's default. */
  rpcUrls: Partial<Record<Networks.Id, string>>
  /** Explicit on/off per network; absent means the network's default (mainnet is off). */
  enabled: Partial<Record<Networks.Id, boolean>>
}

const networkSettings = Schema.networkSettings

export type NetworkState = { network: Networks.Network; rpcUrl: string; enabled: boolean }

export async function read(): Promise<NetworkSettings> {
  const settings = await networkSettings.getValue()
  return { activeId: settings.activeId, rpcUrls: settings.rpcUrls ?? {}, enabled: settings.enabled ?? {} }
}

export function stateOf(settings: NetworkSettings, network: Networks.Network): NetworkState {
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

