import { createClient, custom } from 'viem'
import { getBlockNumber, getChainId } from 'viem/actions'
import { describe, expect, test, vi } from 'vitest'
import { askingChainIdOnce } from '@/lib/chain/clients'

/** A client over an RPC that counts what it is asked; `failFirst` fails the first eth_chainId. */
function clientOverCountingRpc({ failFirst = false } = {}) {
  let chainIdAsks = 0
  const request = vi.fn(async ({ method }: { method: string }) => {
    if (method === 'eth_chainId') {
      chainIdAsks++
      if (failFirst && chainIdAsks === 1) throw new Error('RPC down')
      return '0x539'
    }
    if (method === 'eth_blockNumber') return '0x10'
    throw new Error(`unexpected ${method}`)
  })
  const client = createClient({ transport: askingChainIdOnce(custom({ request }, { retryCount: 0 })) })
  return { client, request, asks: () => chainIdAsks }
}

describe('a chain client asks its RPC for the chain id once', () => {
  test('later asks are answered from the first; other methods go to the RPC every time', async () => {
    const { client, request, asks } = clientOverCountingRpc()
    expect(await Promise.all([getChainId(client), getChainId(client), getChainId(client)])).toEqual([1337, 1337, 1337])
    expect(await getChainId(client)).toBe(1337)
    expect(asks()).toBe(1)
    await getBlockNumber(client, { cacheTime: 0 })
    await getBlockNumber(client, { cacheTime: 0 })
    expect(request.mock.calls.filter(([args]) => args.method === 'eth_blockNumber')).toHaveLength(2)
  })

  test('a failed ask is not remembered: the next one asks again', async () => {
    const { client, asks } = clientOverCountingRpc({ failFirst: true })
    await expect(getChainId(client)).rejects.toThrow('RPC down')
    expect(await getChainId(client)).toBe(1337)
    expect(asks()).toBe(2)
  })
})
