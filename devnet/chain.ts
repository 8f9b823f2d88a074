/**
 * The devnet chain: admits transactions, executes their calls atomically,
 * charges fees in TIP-20, mines blocks and keeps per-block state so reads at
 * an older block answer as of that block.
 */
import { Hash, Hex } from 'ox'
import type { Address } from 'viem'
import { feeManagerAddress, pathUsdAddress, tip20Abi } from './abis'
import { type CallContext, emit, type Log, Revert } from './execution'
import * as Precompiles from './precompiles'
import * as State from './state'
import type { WorldState } from './state'
import * as Tip20 from './tip20'
import * as Transactions from './transactions'

export { chainId } from './constants'
import { chainId } from './constants'
/** Base fee in attodollars per gas (18 decimals); fees are charged in 6-decimal TIP-20 units. */
export const baseFeePerGas = 20_000_000_000n
export const blockGasLimit = 500_000_000n
export const intrinsicGas = 21_000n
/** TIP-1009: an expiring nonce's validBefore may be at most this far ahead. */
export const maxExpiringWindowSeconds = 30n
const attodollarsPerUnit = 10n ** 12n

/** Fee in token units for gas at a price, rounded up so fees never round to free. */
export function feeFor(gas: bigint, pricePerGas: bigint): bigint {
  return (gas * pricePerGas + attodollarsPerUnit - 1n) / attodollarsPerUnit
}

export type StoredLog = Log & {
  blockNumber: bigint
  blockHash: Hex.Hex
  transactionHash: Hex.Hex
  transactionIndex: number
  logIndex: number
}

export type Receipt = {
  transactionHash: Hex.Hex
  transactionIndex: number
  blockHash: Hex.Hex
  blockNumber: bigint
  blockTimestamp: bigint
  from: Address
  to: Address | null
  status: 'success' | 'reverted'
  gasUsed: bigint
  cumulativeGasUsed: bigint
  effectiveGasPrice: bigint
  feeToken: Address
  feePayer: Address
  /** What the fee payer paid, in feeToken units. */
  fee: bigint
  logs: StoredLog[]
  type: Transactions.Decoded['kind']
  revertReason: string | undefined
}

export type Block = {
  number: bigint
  hash: Hex.Hex
  parentHash: Hex.Hex
  timestamp: bigint
  transactions: Hex.Hex[]
  gasUsed: bigint
  /** The world state after this block. */
  state: WorldState
}

export type MinedTransaction = { tx: Transactions.Decoded; blockNumber: bigint; index: number }

export class RejectedTransactionError extends Error {
  override name = 'RejectedTransactionError'
}

export type ChainEvents = {
  onTransaction?: (tx: Transactions.Decoded, receipt: Receipt) => void
  onBlock?: (block: Block) => void
}

export type Snapshot = {
  blocks: Block[]
  state: WorldState
  transactions: Map<Hex.Hex, MinedTransaction>
  receipts: Map<Hex.Hex, Receipt>
  timeOffset: bigint
}

export class Chain {
  blocks: Block[]
  state: WorldState
  transactions = new Map<Hex.Hex, MinedTransaction>()
  receipts = new Map<Hex.Hex, Receipt>()
  pending: Transactions.Decoded[] = []
  /** Seconds added to the wall clock by evm_increaseTime. */
  timeOffset = 0n
  private waiters = new Map<Hex.Hex, ((receipt: Receipt) => void)[]>()

  constructor(
    genesis: WorldState,
    readonly options: { automine: boolean; events?: ChainEvents; now?: () => number } = { automine: true },
  ) {
    this.state = genesis
    const timestamp = this.wallClock()
    this.blocks = [
      {
        number: 0n,
        hash: blockHash(0n, `0x${'00'.repeat(32)}`, timestamp, []),
        parentHash: `0x${'00'.repeat(32)}`,
        timestamp,
        transactions: [],
        gasUsed: 0n,
        state: State.clone(genesis),
      },
    ]
  }

  get latest(): Block {
    return this.blocks[this.blocks.length - 1]!
  }

  private wallClock(): bigint {
    return BigInt(Math.floor((this.options.now?.() ?? Date.now()) / 1000)) + this.timeOffset
  }

  /** The timestamp the next block will carry: wall clock plus offset, never below the latest block. */
  nextTimestamp(): bigint {
    const wall = this.wallClock()
    const latest = this.blocks.length ? this.latest.timestamp : 0n
    return wall > latest ? wall : latest
  }

  increaseTime(seconds: bigint): bigint {
    if (seconds < 0n) throw new Error('evm_increaseTime takes a non-negative number of seconds.')
    this.timeOffset += seconds
    return this.timeOffset
  }

  /** A block by number, or undefined past the latest. */
  block(number: bigint): Block | undefined {
    return this.blocks[Number(number)]
  }

  blockByHash(hash: string): Block | undefined {
    return this.blocks.find((block) => block.hash.toLowerCase() === hash.toLowerCase())
  }

  /** Blocks `from` to `to`, both included. */
  blockRange(from: bigint, to: bigint): Block[] {
    return this.blocks.slice(Number(from), Number(to) + 1)
  }

  receipt(hash: string): Receipt | undefined {
    return this.receipts.get(hash.toLowerCase() as Hex.Hex)
  }

  mined(hash: string): MinedTransaction | undefined {
    return this.transactions.get(hash.toLowerCase() as Hex.Hex)
  }

  /** The state a block left (the live state for the latest block). */
  stateOf(block: Block): WorldState {
    return block === this.latest ? this.state : block.state
  }

  /** The sequential nonce the sender's next transaction on this key must carry: mined ones plus those waiting in the pool. */
  nextNonce(from: Address, nonceKey = 0n): bigint {
    const waiting = this.pending.filter((tx) => tx.from.toLowerCase() === from.toLowerCase() && tx.nonceKey === nonceKey).length
    return State.nonceOf(this.state, from, nonceKey) + BigInt(waiting)
  }

  stateAt(blockNumber: bigint): WorldState {
    const block = this.blocks[Number(blockNumber)]
    if (!block) throw new Error(`Block ${blockNumber} does not exist yet (latest is ${this.latest.number}).`)
    return block === this.latest ? this.state : block.state
  }

  /** Checks a transaction against the current state; throws a RejectedTransactionError in words. */
  admit(tx: Transactions.Decoded) {
    const reject = (message: string) => {
      throw new RejectedTransactionError(message)
    }
    if (this.transactions.has(tx.hash) || this.pending.some((p) => p.hash === tx.hash)) reject('already known')
    if (tx.chainId !== chainId) reject(`invalid chain id: this devnet is chain ${chainId}, the transaction is for ${tx.chainId ?? 'no chain'}`)
    const now = this.nextTimestamp()
    const state = this.state
    if (tx.nonceKey === Transactions.expiringNonceKey) {
      if (tx.validBefore === undefined) reject('expiring nonce transactions need validBefore')
      const validBefore = BigInt(tx.validBefore!)
      if (validBefore <= now) reject(`transaction expired: validBefore ${validBefore} is not after chain time ${now}`)
      if (validBefore > now + maxExpiringWindowSeconds)
        reject(`validBefore ${validBefore} is more than ${maxExpiringWindowSeconds}s after chain time ${now}`)
      const seen = state.expiringNonces.get(tx.expiringNonceHash)
      const queued = this.pending.some((p) => p.expiringNonceHash === tx.expiringNonceHash)
      if ((seen !== undefined && BigInt(seen) > now) || queued) reject('replayed expiring nonce transaction')
    } else {
      const expected = this.nextNonce(tx.from, tx.nonceKey)
      if (tx.nonce < expected) reject(`nonce too low: next nonce for ${tx.from} (key ${tx.nonceKey}) is ${expected}, got ${tx.nonce}`)
      if (tx.nonce > expected) reject(`nonce too high: next nonce for ${tx.from} (key ${tx.nonceKey}) is ${expected}, got ${tx.nonce}`)
      if (tx.validBefore !== undefined && BigInt(tx.validBefore) <= now) reject(`transaction expired: validBefore ${tx.validBefore} is not after chain time ${now}`)
    }
    if (tx.validAfter !== undefined && BigInt(tx.validAfter) > now)
      reject(`transaction not yet valid: validAfter ${tx.validAfter} is after chain time ${now}`)
    if (tx.calls.some((call) => call.value !== 0n)) reject('Tempo has no native currency: calls cannot carry value')
    if (tx.maxFeePerGas < baseFeePerGas) reject(`max fee per gas ${tx.maxFeePerGas} is below the base fee ${baseFeePerGas}`)
    if (tx.gas < intrinsicGas) reject(`intrinsic gas too low: ${tx.gas} < ${intrinsicGas}`)
    const feeToken = tx.feeToken ?? pathUsdAddress
    if (!Tip20.exists(state, feeToken)) reject(`fee token ${feeToken} is not a TIP-20 token on this devnet`)
    const feePayer = tx.feePayer ?? tx.from
    const maxFee = feeFor(tx.gas, tx.maxFeePerGas)
    const balance = State.balanceOf(state, feeToken, feePayer)
    if (balance < maxFee)
      reject(`insufficient funds for gas: ${feePayer} has ${balance} of fee token ${feeToken}, needs ${maxFee}`)
  }

  /** Admits and, with automine, mines the transaction in its own block. */
  submit(tx: Transactions.Decoded): Hex.Hex {
    this.admit(tx)
    this.pending.push(tx)
    if (this.options.automine) this.mine()
    return tx.hash
  }

  /** Resolves once the transaction is mined. */
  waitForReceipt(hash: Hex.Hex): Promise<Receipt> {
    const receipt = this.receipts.get(hash)
    if (receipt) return Promise.resolve(receipt)
    return new Promise((resolve) => this.waiters.set(hash, [...(this.waiters.get(hash) ?? []), resolve]))
  }

  /** Mines one block with every pending transaction (possibly none). */
  mine(timestamp?: bigint): Block {
    const parent = this.latest
    const blockTimestamp = timestamp !== undefined && timestamp > parent.timestamp ? timestamp : this.nextTimestamp()
    const number = parent.number + 1n
    const included = this.pending
    this.pending = []
    const executed: { tx: Transactions.Decoded; receipt: Omit<Receipt, 'blockHash'> }[] = []
    let cumulativeGasUsed = 0n
    for (const tx of included) {
      const logCount = executed.reduce((count, { receipt }) => count + receipt.logs.length, 0)
      const receipt = this.apply(tx, number, blockTimestamp, executed.length, cumulativeGasUsed, logCount)
      if (!receipt) continue
      cumulativeGasUsed = receipt.cumulativeGasUsed
      executed.push({ tx, receipt })
    }
    const hashes = executed.map(({ tx }) => tx.hash)
    const hash = blockHash(number, parent.hash, blockTimestamp, hashes)
    const block: Block = {
      number,
      hash,
      parentHash: parent.hash,
      timestamp: blockTimestamp,
      transactions: hashes,
      gasUsed: cumulativeGasUsed,
      state: State.clone(this.state),
    }
    this.blocks.push(block)
    for (const { tx, receipt } of executed) {
      const full: Receipt = { ...receipt, blockHash: hash, logs: receipt.logs.map((log) => ({ ...log, blockHash: hash })) }
      this.transactions.set(tx.hash, { tx, blockNumber: number, index: receipt.transactionIndex })
      this.receipts.set(tx.hash, full)
      this.options.events?.onTransaction?.(tx, full)
      for (const resolve of this.waiters.get(tx.hash) ?? []) resolve(full)
      this.waiters.delete(tx.hash)
    }
    this.options.events?.onBlock?.(block)
    return block
  }

  /**
   * Applies one transaction: nonce and fee always stick; the calls apply all
   * together or, on any revert, not at all. Returns undefined if the
   * transaction became invalid while it waited (it is dropped, unmined).
   */
  private apply(
    tx: Transactions.Decoded,
    blockNumber: bigint,
    timestamp: bigint,
    index: number,
    cumulativeGasBefore: bigint,
    firstLogIndex: number,
  ): Omit<Receipt, 'blockHash'> | undefined {
    const feeToken = (tx.feeToken ?? pathUsdAddress).toLowerCase() as Address
    const feePayer = tx.feePayer ?? tx.from
    const effectiveGasPrice = minBig(tx.maxFeePerGas, baseFeePerGas + tx.maxPriorityFeePerGas)
    const maxFee = feeFor(tx.gas, tx.maxFeePerGas)
    if (State.balanceOf(this.state, feeToken, feePayer) < maxFee) return undefined

    // Replay protection and nonces are consumed whatever the calls do.
    if (tx.nonceKey === Transactions.expiringNonceKey) {
      this.state.expiringNonces.set(tx.expiringNonceHash, tx.validBefore!)
      for (const [hash, validBefore] of this.state.expiringNonces)
        if (BigInt(validBefore) < timestamp) this.state.expiringNonces.delete(hash)
    } else State.setNonce(this.state, tx.from, tx.nonceKey, State.nonceOf(this.state, tx.from, tx.nonceKey) + 1n)

    const feeLedger = this.state.tokens.get(feeToken)!
    feeLedger.balances.set(State.key(feePayer), (feeLedger.balances.get(State.key(feePayer)) ?? 0n) - maxFee)

    const draft = State.clone(this.state)
    const ctx: CallContext = {
      state: draft,
      sender: tx.from,
      timestamp,
      chainId,
      logs: [],
      openContextHash: tx.expiringNonceHash,
      openedThisTx: new Set(),
    }
    let gasUsed = intrinsicGas
    let revertReason: string | undefined
    try {
      for (const call of tx.calls) {
        const { gas } = Precompiles.call(ctx, call.to, call.data, call.value)
        gasUsed += gas
        if (gasUsed > tx.gas) throw new Revert('0x', 'out of gas')
      }
    } catch (error) {
      if (!(error instanceof Revert)) throw error
      revertReason = error.message
      if (gasUsed > tx.gas) gasUsed = tx.gas
    }
    if (revertReason === undefined) this.state = draft
    const fee = feeFor(gasUsed, effectiveGasPrice)
    const refundLedger = this.state.tokens.get(feeToken)!
    refundLedger.balances.set(State.key(feePayer), (refundLedger.balances.get(State.key(feePayer)) ?? 0n) + maxFee - fee)
    refundLedger.balances.set(State.key(feeManagerAddress), (refundLedger.balances.get(State.key(feeManagerAddress)) ?? 0n) + fee)
    const feeLog: CallContext = { ...ctx, logs: [] }
    // The fee shows up as a TIP-20 Transfer to the fee manager, so fees are auditable from logs.
    emit(feeLog, feeToken, tip20Abi, 'Transfer', { from: feePayer, to: feeManagerAddress, amount: fee })
    const logs = [...(revertReason === undefined ? ctx.logs : []), ...feeLog.logs]
    return {
      transactionHash: tx.hash,
      transactionIndex: index,
      blockNumber,
      blockTimestamp: timestamp,
      from: tx.from,
      to: tx.calls[0]?.to ?? null,
      status: revertReason === undefined ? 'success' : 'reverted',
      gasUsed,
      cumulativeGasUsed: cumulativeGasBefore + gasUsed,
      effectiveGasPrice,
      feeToken,
      feePayer,
      fee,
      type: tx.kind,
      revertReason,
      logs: logs.map((log, i) => ({
        ...log,
        blockNumber,
        blockHash: '0x',
        transactionHash: tx.hash,
        transactionIndex: index,
        logIndex: firstLogIndex + i,
      })),
    }
  }

  /**
   * Runs calls against a copy of the state at a block, as `eth_call` and
   * `eth_estimateGas` do. Returns the last call's output and the gas used;
   * throws Revert with the error data.
   */
  simulate(parameters: {
    from: Address | undefined
    calls: Transactions.Call[]
    blockNumber?: bigint
    openContextHash?: Hex.Hex
  }): { output: Hex.Hex; gas: bigint } {
    const base = parameters.blockNumber === undefined ? this.state : this.stateAt(parameters.blockNumber)
    const timestamp = parameters.blockNumber === undefined ? this.nextTimestamp() : this.blocks[Number(parameters.blockNumber)]!.timestamp
    const ctx: CallContext = {
      state: State.clone(base),
      sender: parameters.from ?? '0x0000000000000000000000000000000000000000',
      timestamp,
      chainId,
      logs: [],
      // An unsigned transaction has no signing hash yet; any non-zero context lets `open` simulate.
      openContextHash: parameters.openContextHash ?? Hash.keccak256(Hex.fromString(`simulation:${parameters.from}:${timestamp}`)),
      openedThisTx: new Set(),
    }
    let output: Hex.Hex = '0x'
    let gas = intrinsicGas
    for (const call of parameters.calls) {
      const result = Precompiles.call(ctx, call.to, call.data, call.value)
      output = result.output
      gas += result.gas
    }
    return { output, gas }
  }

  snapshot(): Snapshot {
    return {
      blocks: [...this.blocks],
      state: State.clone(this.state),
      transactions: new Map(this.transactions),
      receipts: new Map(this.receipts),
      timeOffset: this.timeOffset,
    }
  }

  restore(snapshot: Snapshot) {
    this.blocks = [...snapshot.blocks]
    this.state = State.clone(snapshot.state)
    this.transactions = new Map(snapshot.transactions)
    this.receipts = new Map(snapshot.receipts)
    this.timeOffset = snapshot.timeOffset
    this.pending = []
  }
}

function minBig(a: bigint, b: bigint) {
  return a < b ? a : b
}

function blockHash(number: bigint, parentHash: Hex.Hex, timestamp: bigint, transactions: Hex.Hex[]): Hex.Hex {
  return Hash.keccak256(
    Hex.concat(Hex.fromNumber(number, { size: 32 }), parentHash, Hex.fromNumber(timestamp, { size: 32 }), ...transactions),
  )
}

