import { createClient, http } from 'viem'
import { tempoLocalnet } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as AccountFunds from '@/lib/chain/accountFunds'
import { startDevnet, type TestDevnet } from '../../support/devnet'
import { closedPort, type RpcResponder, startRpcResponder } from '../../support/rpcResponder'

const account = '0x1000000000000000000000000000000000000001'
const clientAt = (url: string) => createClient({ chain: tempoLocalnet, transport: http(url, { retryCount: 1, timeout: 15_000 }) })

describe('test funds', () => {
  let devnet: TestDevnet
  let stalled: RpcResponder
  beforeAll(async () => {
    devnet = await startDevnet()
    stalled = await startRpcResponder({ chainId: 1337 })
    stalled.stall(true)
  })
  afterAll(async () => {
    await devnet.stop()
    await stalled.close()
  })

  test('the faucet funds the account and says which transactions did it', async () => {
    const hashes = await AccountFunds.requestTestFunds(clientAt(devnet.url), account, devnet.url)
    expect(hashes.length).toBeGreaterThan(0)
    expect(await devnet.balance(account)).toBe(1_000_000_000n)
  })

  test('a faucet that does not answer is said in words once the limit passes, not after 30 s of silence', async () => {
    // The stalled RPC never answers: only Drip's own limit can end the wait, in words.
    await expect(AccountFunds.requestTestFunds(clientAt(stalled.url), account, stalled.url, 300)).rejects.toThrow(
      `The faucet at ${stalled.url} did not answer within 0.3 s. Check the RPC URL in Settings.`,
    )
  })

  test('an RPC that refuses the connection is said in words', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`
    await expect(AccountFunds.requestTestFunds(clientAt(url), account, url)).rejects.toThrow(`The faucet at ${url} refused`)
  })
})
