/** Live status of a network's RPC: which chain answers and its latest block. */
import { createPublicClient, http } from 'viem'
import type { ChainStatus } from '@/lib/protocol/views'

export type { ChainStatus }

export type ReadOptions = {
  /** Give up after this long so the popup shows "unreachable" instead of waiting forever. */
  timeoutMs?: number
}

/** Reads `eth_chainId` and `eth_blockNumber` in one batch. Never throws: failures become `unreachable`. */
export async function read(rpcUrl: string, expectedChainId: number, options: ReadOptions = {}): Promise<ChainStatus> {
  const { timeoutMs = 3_000 } = options
  const checkedAt = Date.now()
  const client = createPublicClient({
    transport: http(rpcUrl, { batch: true, retryCount: 0, timeout: timeoutMs }),
  })
  try {
    const [chainId, blockNumber] = await Promise.all([client.getChainId(), client.getBlockNumber({ cacheTime: 0 })])
    if (chainId !== expectedChainId) return { state: 'wrongChain', rpcUrl, chainId, expectedChainId, checkedAt }
    return { state: 'live', rpcUrl, chainId, blockNumber: Number(blockNumber), checkedAt }
  } catch (error) {
    return { state: 'unreachable', rpcUrl, reason: describe(error), checkedAt }
  }
}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'shortMessage' in error && typeof error.shortMessage === 'string')
    return error.shortMessage
  return error instanceof Error ? error.message : String(error)
}
