/**
 * The devnet's JSON-RPC surface and block behaviour: batches, error codes,
 * reads at older blocks, logs, snapshots, time, interval mining, persistence
 * and the command line.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { encodeFunctionData, isAddressEqual, parseAbiItem } from 'viem'
import { Abis, Actions } from 'viem/tempo'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parseFlags } from '@/devnet/cli'
import { pathUsdAddress } from '@/devnet/index'
import { startDevnet, type TestDevnet } from '../../support/devnet'
import { waitUntil } from '../../support/pages/driver'

async function rpc(url: string, body: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return response.json()
}

describe('JSON-RPC', () => {
  let devnet: TestDevnet
  beforeAll(async () => void (devnet = await startDevnet()))
  afterAll(() => devnet.stop())

  test('identifies as chain 1337 and answers batches in order, with -32601 for unknown methods', async () => {
    expect(
      await rpc(devnet.url, [
        { jsonrpc: '2.0', id: 1, method: 'eth_chainId' },
        { jsonrpc: '2.0', id: 2, method: 'net_version' },
        { jsonrpc: '2.0', id: 3, method: 'eth_nonsense' },
      ]),
    ).toEqual([
      { jsonrpc: '2.0', id: 1, result: '0x539' },
      { jsonrpc: '2.0', id: 2, result: '1337' },
      { jsonrpc: '2.0', id: 3, error: { code: -32601, message: 'Method not found: eth_nonsense' } },
    ])
    expect(await rpc(devnet.url, 'not json')).toMatchObject({ error: { code: -32600 } })
    const parseError = await fetch(devnet.url, { method: 'POST', body: '{oops' }).then((r) => r.json())
    expect(parseError).toMatchObject({ error: { code: -32700 } })
  })

  test('reverts come back as code 3 with the ABI error data', async () => {
    const data = encodeFunctionData({ abi: Abis.tip20, functionName: 'transfer', args: [devnet.accounts[1]!.address, 10n ** 30n] })
    const answer = await rpc(devnet.url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_call',
      params: [{ from: devnet.accounts[0]!.address, to: pathUsdAddress, data, value: '0x' }, 'latest'],
    })
    expect(answer.error.code).toBe(3)
    expect(answer.error.data.slice(0, 10)).toBe('0x832f98b5') // InsufficientBalance(uint256,uint256,address)
  })

  test('eth_call at an older block answers as of that block', async () => {
    const client = devnet.client(0)
    const recipient = devnet.accounts[6]!.address
    const before = await client.getBlockNumber()
    await Actions.token.transferSync(client, { to: recipient, amount: 123n, token: pathUsdAddress })
    const balanceAt = async (blockNumber?: bigint) =>
      client.readContract({ address: pathUsdAddress, abi: Abis.tip20, functionName: 'balanceOf', args: [recipient], blockNumber })
    expect((await balanceAt()) - (await balanceAt(before))).toBe(123n)
    await expect(balanceAt(before + 1000n)).rejects.toThrow(/ahead of the latest block/)
  })

  test('blocks: one per transaction, timestamps never decrease, lookups by number and hash agree', async () => {
    const client = devnet.client(1)
    const start = await client.getBlockNumber()
    const receipt = await Actions.token.transferSync(client, { to: devnet.accounts[2]!.address, amount: 1n, token: pathUsdAddress })
    expect(receipt.receipt.blockNumber).toBe(start + 1n)
    const byNumber = await client.getBlock({ blockNumber: receipt.receipt.blockNumber, includeTransactions: true })
    const byHash = await client.getBlock({ blockHash: byNumber.hash })
    expect(byHash.number).toBe(byNumber.number)
    expect(byNumber.transactions.map((tx) => tx.hash)).toEqual([receipt.receipt.transactionHash])
    const parent = await client.getBlock({ blockNumber: start })
    expect(byNumber.timestamp).toBeGreaterThanOrEqual(parent.timestamp)
    expect(byNumber.parentHash).toBe(parent.hash)
    const tx = await client.getTransaction({ hash: receipt.receipt.transactionHash })
    expect(isAddressEqual(tx.from, client.account.address)).toBe(true)
    expect((await client.getTransactionReceipt({ hash: receipt.receipt.transactionHash })).blockHash).toBe(byNumber.hash)
  })

  test('eth_getLogs filters by address, topics and block range', async () => {
    const client = devnet.client(2)
    const to = devnet.accounts[7]!.address
    const from = await client.getBlockNumber()
    await Actions.token.transferSync(client, { to, amount: 5n, token: pathUsdAddress })
    await Actions.token.transferSync(client, { to: devnet.accounts[8]!.address, amount: 6n, token: pathUsdAddress })
    const logs = await client.getLogs({
      address: pathUsdAddress,
      event: parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 amount)'),
      args: { to },
      fromBlock: from + 1n,
    })
    expect(logs.map((log) => log.args.amount)).toEqual([5n])
    expect(await client.getLogs({ address: pathUsdAddress, fromBlock: from + 100n, toBlock: from + 100n }).catch((e) => e.message)).toMatch(
      /ahead of the latest block/,
    )
  })

  test('snapshot and revert restore balances, blocks and time', async () => {
    const client = devnet.client(3)
    const to = devnet.accounts[9]!.address
    const balance = await devnet.balance(to)
    const block = await client.getBlockNumber()
    const id = await devnet.snapshot()
    await Actions.token.transferSync(client, { to, amount: 99n, token: pathUsdAddress })
    await devnet.increaseTime(3600)
    expect(await devnet.revert(id)).toBe(true)
    expect(await devnet.balance(to)).toBe(balance)
    expect(await client.getBlockNumber()).toBe(block)
    expect(devnet.chain.timeOffset).toBe(0n)
    expect(await devnet.revert(id)).toBe(false)
  })

  test('evm_increaseTime moves the next block timestamp; evm_mine mines an empty block', async () => {
    const id = await devnet.snapshot()
    try {
      const before = await devnet.client(0).getBlock()
      await devnet.increaseTime(1000)
      await devnet.mine()
      const after = await devnet.client(0).getBlock()
      expect(after.number).toBe(before.number + 1n)
      expect(after.transactions).toEqual([])
      expect(after.timestamp - before.timestamp).toBeGreaterThanOrEqual(1000n)
    } finally {
      await devnet.revert(id)
    }
  })

  test('fees: gas price, priority fee and fee history', async () => {
    const client = devnet.client(0)
    expect(await client.getGasPrice()).toBe(20_000_000_000n)
    const history = await client.getFeeHistory({ blockCount: 2, rewardPercentiles: [50] })
    expect(history.baseFeePerGas.every((fee) => fee === 20_000_000_000n)).toBe(true)
    expect(await client.getCode({ address: pathUsdAddress })).toBe('0xef')
    expect(await client.getCode({ address: devnet.accounts[0]!.address })).toBeUndefined()
  })

  test('eth_fillTransaction fills nonce, gas and fees for Tempo requests, and gas estimates match execution', async () => {
    const client = devnet.client(0)
    const data = encodeFunctionData({ abi: Abis.tip20, functionName: 'transfer', args: [devnet.accounts[1]!.address, 1n] })
    const filled = await client.fillTransaction({ calls: [{ to: pathUsdAddress, data }], nonceKey: 5n } as never)
    const tx = filled.transaction as unknown as { type: string; nonce: number; gas: bigint; maxFeePerGas: bigint; nonceKey: bigint }
    expect(tx.type).toBe('tempo')
    expect(tx.nonceKey).toBe(5n)
    expect(Number(tx.nonce)).toBe(0)
    expect(tx.maxFeePerGas).toBeGreaterThanOrEqual(20_000_000_000n)
    expect(tx.gas).toBe(await client.estimateGas({ to: pathUsdAddress, data }))
    const receipt = await client.sendTransactionSync({ to: pathUsdAddress, data })
    expect(receipt.gasUsed).toBe(tx.gas)
  })

  test('tempo_fundAddress sends real faucet transfers of each stablecoin', async () => {
    const client = devnet.client(0)
    const fresh = '0x000000000000000000000000000000000000f00d'
    const receipts = await Actions.faucet.fundSync(client, { account: fresh })
    expect(receipts.map((r) => r.status)).toEqual(['success', 'success'])
    expect(await devnet.balance(fresh)).toBe(1_000_000_000n)
  })
})

describe('mining and persistence', () => {
  test('--block-time mines on an interval; sendRawTransactionSync waits for the block', async () => {
    const devnet = await startDevnet({ blockTimeMs: 200 })
    try {
      const client = devnet.client(0)
      const first = await client.getBlockNumber()
      // Two blocks with no transaction sent: the interval mines them (a busy machine only makes it take longer).
      await waitUntil(() => client.getBlockNumber(), (block) => block >= first + 2n, { what: 'two blocks mined on the interval' })
      const receipt = await Actions.token.transferSync(client, { to: devnet.accounts[1]!.address, amount: 1n, token: pathUsdAddress })
      expect(receipt.receipt.status).toBe('success')
    } finally {
      await devnet.stop()
    }
  })

  test('--state keeps the chain across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drip-devnet-'))
    const stateFile = join(dir, 'chain.json')
    try {
      const first = await startDevnet({ stateFile })
      await Actions.token.transferSync(first.client(0), { to: first.accounts[5]!.address, amount: 777n, token: pathUsdAddress })
      const [block, balance] = [await first.client(0).getBlockNumber(), await first.balance(first.accounts[5]!.address)]
      await first.stop()
      const second = await startDevnet({ stateFile })
      try {
        expect(await second.client(0).getBlockNumber()).toBe(block)
        expect(await second.balance(second.accounts[5]!.address)).toBe(balance)
        await Actions.token.transferSync(second.client(0), { to: second.accounts[5]!.address, amount: 1n, token: pathUsdAddress })
      } finally {
        await second.stop()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('command line', () => {
  test('parses flags', () => {
    expect(parseFlags([])).toEqual({ port: 8545, host: '127.0.0.1', stateFile: undefined, blockTimeMs: undefined })
    expect(parseFlags(['--port', '9000', '--host', '0.0.0.0', '--state', 'x.json', '--block-time', '500'])).toEqual({
      port: 9000,
      host: '0.0.0.0',
      stateFile: 'x.json',
      blockTimeMs: 500,
    })
  })

  test.each([
    [['--port', 'abc'], /--port must be 0–65535/],
    [['--port', '70000'], /--port must be 0–65535/],
    [['--block-time', '0'], /--block-time must be a whole number/],
    [['--speed', 'fast'], /Unknown option '--speed'/],
    [['extra'], /Unexpected argument "extra"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseFlags(argv)).toThrow(message)
  })

  test('bad flags exit non-zero with the usage', async () => {
    const error = await promisify(execFile)('npx', ['tsx', 'devnet/cli.ts', '--port', 'abc']).then(
      () => undefined,
      (caught: { code: number; stderr: string }) => caught,
    )
    expect(error?.code).toBe(2)
    expect(error?.stderr).toMatch(/--port must be 0–65535[\s\S]*Usage: npm run devnet/)
  })
})
