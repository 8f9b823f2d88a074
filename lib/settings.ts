/** The user's network choices, persisted in `browser.storage.local`. */
import { storage } from 'wxt/utils/storage'
import * as Networks from './networks'

export type NetworkSettings = {
  activeId: Networks.Id
  /** RPC URLs the user typed, by network; absent means the network's default. */
  rpcUrls: Partial<Record<Networks.Id, string>>
}

const networkSettings = storage.defineItem<NetworkSettings>('local:settings.networks', {
  fallback: { activeId: Networks.defaultId, rpcUrls: {} },
})

export type ActiveNetwork = { network: Networks.Network; rpcUrl: string }

export async function getActiveNetwork(): Promise<ActiveNetwork> {
  const settings = await networkSettings.getValue()
  const network = Networks.fromId(settings.activeId)
  return { network, rpcUrl: settings.rpcUrls[network.id] ?? network.defaultRpcUrl }
}

/** Validates and stores a network's RPC URL. An empty string restores the default. */
export async function setRpcUrl(id: Networks.Id, input: string): Promise<void> {
  if (!Networks.isId(id)) throw new Error(`Unknown network "${String(id)}".`)
  const settings = await networkSettings.getValue()
  const rpcUrls = { ...settings.rpcUrls }
  if (input.trim() === '') delete rpcUrls[id]
  else rpcUrls[id] = Networks.parseRpcUrl(input)
  await networkSettings.setValue({ ...settings, rpcUrls })
}
