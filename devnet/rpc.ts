/**
 * The JSON-RPC surface viem, mppx and the mppx CLI call. Errors use the
 * standard codes: -32601 unknown method, -32602 bad params, 3 for reverts
 * (with the ABI error data viem decodes), -32003 for rejected transactions.
 */
import { Hex } from 'ox'
import type { Address } from 'viem'
import { type Block, type Chain, RejectedTransactionError, type Receipt, baseFeePerGas, chainId, type Snapshot } from './chain'
import { Revert } from './execution'
import * as Faucet from './faucet'
import * as Precompiles from './precompiles'
import * as Format from './rpcFormat'
import * as State from './state'
import * as Transactions from './transactions'

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
  }
}

type Params = unknown[]
type Method = (params: Params) => unknown | Promise<unknown>

export type RpcContext = {
  chain: Chain
  snapshots: Map<string, Snapshot>
  nextSnapshotId: { value: number }
}

export function createMethods(context: RpcContext): Record<string, Method> {
  const { chain } = context

  function blockFor(tag: unknown): Block {
    if (tag === undefined || tag === 'latest' || tag === 'pending' || tag === 'safe' || tag === 'finalized')
      return chain.latest
    if (tag === 'earliest') return chain.block(0n)!
    if (typeof tag === 'object' && tag !== null) {
      const { blockHash, blockNumber } = tag as { blockHash?: string; blockNumber?: string }
      if (blockHash) return chain.blockByHash(blockHash) ?? fail(-32001, `Block ${blockHash} not found.`)
      if (blockNumber) return blockFor(blockNumber)
    }
    if (typeof tag === 'string' && /^0x[0-9a-f]+$/i.test(tag)) {
      const block = chain.block(BigInt(tag))
      if (!block) fail(-32001, `header not found: block ${BigInt(tag)} is ahead of the latest block ${chain.latest.number}`)
      return block
    }
    fail(-32602, `Invalid block tag ${JSON.stringify(tag)}.`)
  }

  function isLatest(block: Block) {
    return block === chain.latest
  }

  /** Reads a call request: plain `{to, data}` or Tempo's batched `{calls}`. */
  function callsOf(request: Record<string, unknown>): Transactions.Call[] {
    if (Array.isArray(request.calls) && request.calls.length > 0)
      return request.calls.map((call: Record<string, unknown>) => ({
        to: call.to as Address | undefined,
        data: ((call.data ?? call.input ?? '0x') as Hex.Hex) || '0x',
        value: toBigInt(call.value),
      }))
    return [
      {
        to: request.to as Address | undefined,
        data: ((request.data ?? request.input ?? '0x') as Hex.Hex) || '0x',
        value: toBigInt(request.value),
      },
    ]
  }

  function simulate(params: Params) {
    const request = params[0]
    if (!request || typeof request !== 'object') fail(-32602, 'Expected a call object as the first parameter.')
    const overrides = params[2]
    if (overrides && typeof overrides === 'object' && Object.keys(overrides).length > 0)
      fail(-32602, 'State overrides are not supported by the Drip devnet.')
    const block = blockFor(params[1])
    try {
      return chain.simulate({
        from: (request as Record<string, unknown>).from as Address | undefined,
        calls: callsOf(request as Record<string, unknown>),
        blockNumber: isLatest(block) ? undefined : block.number,
      })
    } catch (error) {
      if (error instanceof Revert) throw new RpcError(3, `execution reverted: ${error.message}`, error.data)
      throw error
    }
  }

  function submit(raw: unknown): Hex.Hex {
    if (typeof raw !== 'string' || !raw.startsWith('0x')) fail(-32602, 'Expected a 0x-prefixed raw transaction.')
    try {
      return chain.submit(Transactions.decode(raw as Hex.Hex))
    } catch (error) {
      if (error instanceof RejectedTransactionError || error instanceof Transactions.InvalidTransactionError)
        throw new RpcError(-32003, error.message)
      throw error
    }
  }

  function receiptOf(hash: unknown) {
    const receipt = chain.receipt(String(hash))
    return receipt ? Format.receipt(receipt) : null
  }

  function transactionOf(hash: unknown) {
    const mined = chain.mined(String(hash))
    if (!mined) return null
    return Format.transaction(mined, chain.block(mined.blockNumber)!, chain.receipt(mined.tx.hash))
  }

  function formatBlock(block: Block | undefined, full: unknown) {
    if (!block) return null
    const transactions = full
      ? block.transactions.map((hash) => transactionOf(hash))
      : undefined
    return Format.block(block, transactions)
  }

  function fillTransaction(params: Params) {
    const request = (params[0] ?? {}) as Record<string, unknown>
    const from = request.from as Address | undefined
    if (!from) fail(-32602, 'eth_fillTransaction needs "from".')
    const calls = callsOf(request)
    const nonceKey = request.nonceKey === undefined ? 0n : toBigInt(request.nonceKey)
    const expiring = nonceKey === Transactions.expiringNonceKey
    const nonce = request.nonce !== undefined ? toBigInt(request.nonce) : expiring ? 0n : chain.nextNonce(from!, nonceKey)
    const gas = request.gas !== undefined ? toBigInt(request.gas) : simulate([request]).gas
    const maxPriorityFeePerGas = request.maxPriorityFeePerGas !== undefined ? toBigInt(request.maxPriorityFeePerGas) : 0n
    const maxFeePerGas = request.maxFeePerGas !== undefined ? toBigInt(request.maxFeePerGas) : baseFeePerGas * 2n
    const isTempo = request.type === '0x76' || request.calls !== undefined || request.nonceKey !== undefined || request.feeToken !== undefined
    const tx: Record<string, unknown> = {
      type: isTempo ? '0x76' : '0x2',
      chainId: Format.quantity(chainId),
      from,
      nonce: Format.quantity(nonce),
      gas: Format.quantity(gas),
      maxFeePerGas: Format.quantity(maxFeePerGas),
      maxPriorityFeePerGas: Format.quantity(maxPriorityFeePerGas),
      value: '0x0',
      input: calls.length === 1 ? calls[0]!.data : '0x',
      to: calls.length === 1 ? (calls[0]!.to ?? null) : null,
      hash: `0x${'00'.repeat(32)}`,
      blockHash: null,
      blockNumber: null,
      transactionIndex: null,
    }
    if (isTempo) {
      tx.calls = calls.map((call) => ({ to: call.to, value: Format.quantity(call.value), input: call.data }))
      tx.nonceKey = Format.quantity(nonceKey)
      if (request.feeToken) tx.feeToken = request.feeToken
      if (request.validBefore !== undefined) tx.validBefore = request.validBefore
      if (request.validAfter !== undefined) tx.validAfter = request.validAfter
    }
    return { raw: '0x', tx }
  }

  const methods: Record<string, Method> = {
    web3_clientVersion: () => 'drip-devnet/0.1.0',
    eth_chainId: () => Format.quantity(chainId),
    net_version: () => String(chainId),
    net_listening: () => true,
    eth_syncing: () => false,
    eth_accounts: () => [],
    eth_blockNumber: () => Format.quantity(chain.latest.number),
    eth_gasPrice: () => Format.quantity(baseFeePerGas),
    eth_maxPriorityFeePerGas: () => '0x0',
    eth_feeHistory: ([blockCount, newest]) => {
      const last = blockFor(newest ?? 'latest').number
      const count = BigInt(Math.min(Number(toBigInt(blockCount ?? '0x1')), 1024))
      const first = last - count + 1n > 0n ? last - count + 1n : 0n
      const blocks = Number(last - first + 1n)
      return {
        oldestBlock: Format.quantity(first),
        baseFeePerGas: Array.from({ length: blocks + 1 }, () => Format.quantity(baseFeePerGas)),
        gasUsedRatio: Array.from({ length: blocks }, () => 0),
        reward: Array.from({ length: blocks }, () => ['0x0']),
      }
    },
    eth_getBlockByNumber: ([tag, full]) => formatBlock(tryBlock(() => blockFor(tag)), full),
    eth_getBlockByHash: ([hash, full]) => formatBlock(chain.blockByHash(String(hash)), full),
    eth_getBalance: () => '0x0',
    eth_getCode: ([address, tag]) => {
      const block = blockFor(tag)
      return Precompiles.hasCode({ state: chain.stateOf(block) }, address as Address) ? '0xef' : '0x'
    },
    eth_getTransactionCount: ([address, tag]) => {
      if (tag === 'pending') return Format.quantity(chain.nextNonce(address as Address))
      return Format.quantity(State.nonceOf(chain.stateOf(blockFor(tag)), address as Address))
    },
    eth_call: (params) => simulate(params).output,
    eth_estimateGas: (params) => Format.quantity(simulate(params).gas),
    eth_fillTransaction: fillTransaction,
    eth_sendRawTransaction: ([raw]) => submit(raw),
    eth_sendRawTransactionSync: async ([raw, timeoutMs]) => {
      const hash = submit(raw)
      const timeout = timeoutMs === undefined ? 30_000 : Number(timeoutMs)
      const receipt = await new Promise<Receipt | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), timeout)
        void chain.waitForReceipt(hash).then((mined) => {
          clearTimeout(timer)
          resolve(mined)
        })
      })
      if (!receipt) throw new RpcError(4, `Transaction ${hash} was not mined within ${timeout} ms.`, hash)
      return Format.receipt(receipt)
    },
    eth_getTransactionReceipt: ([hash]) => receiptOf(hash),
    eth_getTransactionByHash: ([hash]) => transactionOf(hash),
    eth_getLogs: ([filter]) => getLogs(chain, (filter ?? {}) as LogFilter, blockFor),
    tempo_fundAddress: ([address]) => {
      if (typeof address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(address)) fail(-32602, 'Expected an address to fund.')
      return Faucet.fund(chain, address as Address)
    },
    evm_mine: ([timestamp]) => {
      chain.mine(timestamp === undefined ? undefined : toBigInt(timestamp))
      return '0x0'
    },
    evm_increaseTime: ([seconds]) => Format.quantity(chain.increaseTime(toBigInt(seconds))),
    evm_snapshot: () => {
      const id = Format.quantity(++context.nextSnapshotId.value)
      context.snapshots.set(id, chain.snapshot())
      return id
    },
    evm_revert: ([id]) => {
      const key = Format.quantity(toBigInt(id))
      const snapshot = context.snapshots.get(key)
      if (!snapshot) return false
      chain.restore(snapshot)
      // Reverting consumes this snapshot and every later one, as in Hardhat and anvil.
      for (const other of [...context.snapshots.keys()]) if (toBigInt(other) >= toBigInt(key)) context.snapshots.delete(other)
      return true
    },
  }
  return methods
}

type LogFilter = {
  fromBlock?: string
  toBlock?: string
  blockHash?: string
  address?: string | string[]
  topics?: (string | string[] | null)[]
}

function getLogs(chain: Chain, filter: LogFilter, blockFor: (tag: unknown) => Block) {
  const blocks = filter.blockHash
    ? [blockFor({ blockHash: filter.blockHash })]
    : (() => {
        const from = blockFor(filter.fromBlock ?? 'latest').number
        const to = blockFor(filter.toBlock ?? 'latest').number
        return chain.blockRange(from, to)
      })()
  const addresses = filter.address === undefined ? undefined : [filter.address].flat().map((a) => a.toLowerCase())
  const topics = filter.topics ?? []
  return blocks.flatMap((block) =>
    block.transactions.flatMap((hash) =>
      (chain.receipt(hash)?.logs ?? [])
        .filter((log) => !addresses || addresses.includes(log.address.toLowerCase()))
        .filter((log) =>
          topics.every((wanted, i) => {
            if (wanted === null || wanted === undefined) return true
            const actual = log.topics[i]?.toLowerCase()
            return [wanted].flat().some((topic) => topic.toLowerCase() === actual)
          }),
        )
        .map(Format.log),
    ),
  )
}

function tryBlock(read: () => Block): Block | undefined {
  try {
    return read()
  } catch (error) {
    if (error instanceof RpcError && error.code === -32001) return undefined
    throw error
  }
}

function toBigInt(value: unknown): bigint {
  if (value === undefined || value === null || value === '0x' || value === '') return 0n
  if (typeof value === 'bigint') return value
  if (typeof value === 'number') return BigInt(value)
  if (typeof value === 'string') {
    try {
      return BigInt(value)
    } catch {}
  }
  throw new RpcError(-32602, `Invalid quantity ${JSON.stringify(value)}.`)
}

function fail(code: number, message: string): never {
  throw new RpcError(code, message)
}
