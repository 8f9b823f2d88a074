/** viem clients per chain and RPC URL: mppx asks for one on every credential, so they are built once. */
import { type Client, createClient, defineChain, http, type Transport } from 'viem'
import * as NetworkSettings from './networkSettings'
import * as Networks from './networks'
import { stepMarked } from '@/lib/shared/stepMarks'

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
        transport: askingChainIdOnce(http(state.rpcUrl, { retryCount: 1, timeout: 15_000 })),
      })),
    )
  return client
}

/**
 * The RPC's chain id, asked once per client and then remembered: viem asks
 * for it before every transaction it signs (it refuses to sign for a chain
 * the RPC is not on), so each channel open and top-up waited one more round
 * trip for an answer that does not change. A failed ask is not remembered.
 */
export function askingChainIdOnce<T extends Transport>(transport: T): T {
  return ((params) => {
    const base = transport(params)
    let chainId: Promise<unknown> | undefined
    const request = (args: { method: string }, options?: unknown) => {
      const ask = () => stepMarked(`chain: ${args.method}`, () => base.request(args as never, options as never) as Promise<unknown>)
      if (args.method !== 'eth_chainId') return ask()
      const asking = (chainId ??= ask())
      asking.catch(() => {
        if (chainId === asking) chainId = undefined
      })
      return asking
    }
    return { ...base, request: request as typeof base.request }
  }) as T
}
