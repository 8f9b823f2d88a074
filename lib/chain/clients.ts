/** viem clients per chain and RPC URL: mppx asks for one on every credential, so they are built once. */
import { type Client, createClient, defineChain, http } from 'viem'
import * as NetworkSettings from './networkSettings'
import * as Networks from './networks'

const clients = new Map<string, Client>()

/** A viem client for an enabled chain, at the reader's RPC URL for it. */
export async function clientFor(chainId: number): Promise<Client> {
  const network = Networks.fromChainId(chainId)
  if (!network) throw new Error(`Drip does not know chain ${chainId}.`)
  const state = NetworkSettings.stateOf(await NetworkSettings.read(), network)
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
