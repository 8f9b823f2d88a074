/** `network.*`: which network is active, its RPC URL and status, networks on or off. */
import * as NetworkSettings from '@/lib/chain/networkSettings'
import * as ChainStatus from '@/lib/chain/status'
import type { PopupHandlers } from '@/lib/protocol/messages'
import type { NetworkSetting, NetworkStatus } from '@/lib/protocol/views'
import type { Background } from '../background'

export async function networkList(): Promise<NetworkSetting[]> {
  const active = await NetworkSettings.getActiveNetwork()
  return (await NetworkSettings.networks()).map(({ network, rpcUrl, enabled }) => ({
    id: network.id,
    name: network.name,
    chainId: network.chain.id,
    testnet: network.testnet,
    rpcUrl,
    enabled,
    active: network.id === active.network.id,
  }))
}

export async function activeNetwork(): Promise<NetworkSetting> {
  return (await networkList()).find((network) => network.active)!
}

export function networkHandlers(background: Background): Pick<PopupHandlers, 'network.status' | 'network.list' | 'network.setRpcUrl' | 'network.setEnabled' | 'network.select'> {
  async function networkStatus(): Promise<NetworkStatus> {
    const { network, rpcUrl } = await NetworkSettings.getActiveNetwork()
    const status = await ChainStatus.read(rpcUrl, network.chain.id, { timeoutMs: background.options.rpcTimeoutMs })
    return { network: { id: network.id, name: network.name, chainId: network.chain.id }, rpcUrl, status }
  }
  return {
    'network.status': networkStatus,
    'network.list': networkList,
    'network.setRpcUrl': background.userAction(async ({ networkId, rpcUrl }) => {
      await NetworkSettings.setRpcUrl(networkId, rpcUrl)
      return networkStatus()
    }),
    'network.setEnabled': background.userAction(async ({ networkId, enabled }) => {
      await NetworkSettings.setNetworkEnabled(networkId, enabled)
      return networkList()
    }),
    'network.select': background.userAction(async ({ networkId }) => {
      await NetworkSettings.setActiveNetwork(networkId)
      return networkList()
    }),
  }
}
