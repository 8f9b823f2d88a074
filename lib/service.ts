/** The background's answers to the messaging protocol. Entry files only wire this up. */
import * as ChainStatus from './chainStatus'
import type { Handlers, NetworkStatus } from './messaging'
import * as Settings from './settings'

export type ServiceOptions = {
  version: string
  /** How long an RPC may take before the popup shows it as unreachable. */
  rpcTimeoutMs?: number
}

export function createHandlers(options: ServiceOptions): Handlers {
  async function networkStatus(): Promise<NetworkStatus> {
    const { network, rpcUrl } = await Settings.getActiveNetwork()
    const status = await ChainStatus.read(rpcUrl, network.chain.id, { timeoutMs: options.rpcTimeoutMs })
    return { network: { id: network.id, name: network.name, chainId: network.chain.id }, rpcUrl, status }
  }

  return {
    'network.status': networkStatus,
    async 'network.setRpcUrl'({ networkId, rpcUrl }) {
      await Settings.setRpcUrl(networkId, rpcUrl)
      return networkStatus()
    },
    async 'page.connect'(_params, caller) {
      if (caller.kind !== 'page') throw new Error('page.connect is for content scripts.')
      return { wallet: 'drip', version: options.version, origin: caller.origin }
    },
  }
}
