import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as ChainStatus from '@/lib/chain/status'
import { closedPort, startRpcResponder, type RpcResponder } from '../../support/rpcResponder'

describe('ChainStatus.read over HTTP', () => {
  let rpc: RpcResponder
  beforeAll(async () => void (rpc = await startRpcResponder({ chainId: 1337 })))
  afterAll(() => rpc.close())

  test('a live RPC reports its chain id and latest block, and the block advances', async () => {
    const first = await ChainStatus.read(rpc.url, 1337)
    expect(first).toMatchObject({ state: 'live', rpcUrl: rpc.url, chainId: 1337, blockNumber: rpc.blockNumber() })
    const second = await ChainStatus.read(rpc.url, 1337)
    expect(second.state === 'live' && second.blockNumber).toBe((first as { blockNumber: number }).blockNumber + 1)
  })

  test('an RPC for another chain is reported as the wrong chain', async () => {
    expect(await ChainStatus.read(rpc.url, 42431)).toMatchObject({
      state: 'wrongChain',
      chainId: 1337,
      expectedChainId: 42431,
    })
  })

  test('nothing listening: unreachable, with a reason', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`
    const status = await ChainStatus.read(url, 1337)
    expect(status).toMatchObject({ state: 'unreachable', rpcUrl: url })
    expect(status.state === 'unreachable' && status.reason).toMatch(/HTTP request failed/)
  })

  test('a stalled RPC becomes unreachable after the timeout instead of hanging', async () => {
    rpc.stall(true)
    try {
      // The RPC never answers: only Drip's own timeout can end the read (a hang fails the test's own time limit).
      const status = await ChainStatus.read(rpc.url, 1337, { timeoutMs: 300 })
      expect(status.state).toBe('unreachable')
      expect(status.state === 'unreachable' && status.reason).toMatch(/took too long/)
    } finally {
      rpc.stall(false)
    }
  })
})
