/** Chain records in JSON-RPC shape (hex quantities), as viem's Tempo formatters read them. */
import { Hex } from 'ox'
import { Transaction as TempoTransaction } from 'ox/tempo'
import { Transaction as EthTransaction } from 'ox'
import type { Block, MinedTransaction, Receipt, StoredLog } from './chain'
import { baseFeePerGas, blockGasLimit, chainId } from './chain'

const zeroHash = `0x${'00'.repeat(32)}` as const
const emptyBloom = `0x${'00'.repeat(256)}` as const

export function quantity(value: bigint | number): Hex.Hex {
  return Hex.fromNumber(value)
}

export function log(entry: StoredLog) {
  return {
    address: entry.address,
    topics: entry.topics,
    data: entry.data,
    blockNumber: quantity(entry.blockNumber),
    blockHash: entry.blockHash,
    transactionHash: entry.transactionHash,
    transactionIndex: quantity(entry.transactionIndex),
    logIndex: quantity(entry.logIndex),
    removed: false,
  }
}

const receiptTypes = { tempo: '0x76', eip1559: '0x2', legacy: '0x0' } as const

export function receipt(entry: Receipt) {
  return {
    transactionHash: entry.transactionHash,
    transactionIndex: quantity(entry.transactionIndex),
    blockHash: entry.blockHash,
    blockNumber: quantity(entry.blockNumber),
    blockTimestamp: quantity(entry.blockTimestamp),
    from: entry.from,
    to: entry.to,
    contractAddress: null,
    cumulativeGasUsed: quantity(entry.cumulativeGasUsed),
    gasUsed: quantity(entry.gasUsed),
    effectiveGasPrice: quantity(entry.effectiveGasPrice),
    status: entry.status === 'success' ? '0x1' : '0x0',
    type: receiptTypes[entry.type],
    feePayer: entry.feePayer,
    feeToken: entry.feeToken,
    logs: entry.logs.map(log),
    logsBloom: emptyBloom,
  }
}

export function transaction(mined: MinedTransaction, block: Block, receiptEntry: Receipt | undefined) {
  const { tx } = mined
  const located = {
    hash: tx.hash,
    blockHash: block.hash,
    blockNumber: block.number,
    blockTimestamp: block.timestamp,
    transactionIndex: mined.index,
    from: tx.from,
    gasPrice: receiptEntry?.effectiveGasPrice ?? baseFeePerGas,
  }
  const rpc =
    tx.kind === 'tempo'
      ? TempoTransaction.toRpc({ ...(tx.envelope as object), ...located, type: 'tempo' } as never)
      : EthTransaction.toRpc({
          ...(tx.envelope as object),
          ...located,
          input: tx.calls[0]?.data ?? '0x',
          to: tx.calls[0]?.to ?? null,
          type: tx.kind,
          chainId,
        } as never)
  // ox drops index 0 as "no index"; a mined transaction always has one.
  return { ...rpc, transactionIndex: quantity(mined.index) }
}

export function block(entry: Block, transactions: unknown[] | undefined) {
  return {
    number: quantity(entry.number),
    hash: entry.hash,
    parentHash: entry.parentHash,
    timestamp: quantity(entry.timestamp),
    baseFeePerGas: quantity(baseFeePerGas),
    gasLimit: quantity(blockGasLimit),
    gasUsed: quantity(entry.gasUsed),
    miner: '0x0000000000000000000000000000000000000000',
    difficulty: '0x0',
    totalDifficulty: '0x0',
    extraData: '0x',
    logsBloom: emptyBloom,
    mixHash: zeroHash,
    nonce: '0x0000000000000000',
    receiptsRoot: zeroHash,
    sha3Uncles: zeroHash,
    stateRoot: zeroHash,
    transactionsRoot: zeroHash,
    size: quantity(1_000 + entry.transactions.length * 200),
    uncles: [],
    withdrawals: [],
    transactions: transactions ?? entry.transactions,
  }
}
