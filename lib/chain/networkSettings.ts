/**
 * The reader's network choices: the active network, RPC URLs, networks on or
 * off. Changes apply one at a time, and every read waits for the changes
 * already asked for: a faucet request or a payment that arrives while a new
 * RPC URL is being saved uses the new one, never the one it replaces.
 *
 * Every payment reads them (the chain it may pay on, the RPC URL of its
 * client), so they are kept in memory until storage says they changed
 * (`keptInMemory.ts`).
 */
import { Serial } from '@/lib/shared/serial'
import type { NetworkSettings } from '@/lib/storage/records'
import { keptInMemory } from '@/lib/storage/keptInMemory'
import * as Schema from '@/lib/storage/schema'
import * as Networks from './networks'

const changes = new Serial()

const networkSettings = Schema.networkSettings

const kept = keptInMemory(networkSettings)

/** Runs one read-modify-write of the settings after the ones before it. */
function change(work: (settings: NetworkSettings) => NetworkSettings): Promise<void> {
  return changes.run('settings', async () => kept.write(work(await stored())))
}

export type { NetworkSettings } from '@/lib/storage/records'

export type NetworkState = { network: Networks.Network; rpcUrl: string; enabled: boolean }

async function stored(): Promise<NetworkSettings> {
  const settings = await kept.read()
  return { activeId: settings.activeId, rpcUrls: settings.rpcUrls ?? {}, enabled: settings.enabled ?? {} }
}

/** The settings once every change asked for before this read has been saved. */
export function read(): Promise<NetworkSettings> {
  return changes.run('settings', stored)
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
  await change((settings) => {
    if (!stateOf(settings, Networks.fromId(id)).enabled) throw new Error(`${Networks.fromId(id).name} is turned off. Enable it first.`)
    return { ...settings, activeId: id }
  })
}

/** Validates and stores a network's RPC URL. An empty string restores the default. */
export async function setRpcUrl(id: Networks.Id, input: string): Promise<void> {
  if (!Networks.isId(id)) throw new Error(`Unknown network "${String(id)}".`)
  const url = input.trim() === '' ? undefined : Networks.parseRpcUrl(input)
  await change((settings) => {
    const rpcUrls = { ...settings.rpcUrls }
    if (url === undefined) delete rpcUrls[id]
    else rpcUrls[id] = url
    return { ...settings, rpcUrls }
  })
}

export async function setNetworkEnabled(id: Networks.Id, enabled: boolean): Promise<void> {
  if (!Networks.isId(id)) throw new Error(`Unknown network "${String(id)}".`)
  await change((settings) => {
    if (!enabled && settings.activeId === id) throw new Error('Switch to another network before turning this one off.')
    return { ...settings, enabled: { ...settings.enabled, [id]: enabled } }
  })
}

export async function enabledChainIds(): Promise<number[]> {
  return (await networks()).filter((n) => n.enabled).map((n) => n.network.chain.id)
}

