/**
 * What one call sees while it runs: the state it may change, its sender, the
 * block time, the logs it emits and the enclosing transaction's context.
 */
import {
  type Abi,
  type Address,
  type ContractEventName,
  type ContractErrorName,
  encodeErrorResult,
  encodeEventTopics,
  encodeAbiParameters,
  type Hex,
  type EncodeErrorResultParameters,
} from 'viem'
import type { WorldState } from './state'

export type Log = { address: Address; topics: Hex[]; data: Hex }

export type CallContext = {
  state: WorldState
  sender: Address
  /** Block timestamp in seconds. */
  timestamp: bigint
  chainId: number
  logs: Log[]
  /**
   * `keccak256(encodeForSigning || sender)` of the enclosing transaction, which
   * TIP-1034 `open` binds into the channel id. Unset means `open` reverts.
   */
  openContextHash: Hex | undefined
  /** Channels opened earlier in this transaction (TIP-1034 forbids close-and-reopen in one transaction). */
  openedThisTx: Set<Hex>
}

export type CallResult = { output: Hex; gas: bigint }

/** A revert carrying ABI-encoded error data, which viem decodes into the named custom error. */
export class Revert extends Error {
  override name = 'Revert'
  constructor(
    readonly data: Hex,
    message: string,
  ) {
    super(message)
  }
}

export function revert<const abi extends Abi, name extends ContractErrorName<abi>>(
  abi: abi,
  errorName: name,
  ...args: unknown[]
): never {
  const data = encodeErrorResult({ abi, errorName, args } as unknown as EncodeErrorResultParameters)
  throw new Revert(data, args.length ? `${errorName}(${args.map(String).join(', ')})` : errorName)
}

/** Appends an ABI event log, split into indexed topics and data like the EVM does. */
export function emit<const abi extends Abi>(
  ctx: CallContext,
  address: Address,
  abi: abi,
  eventName: ContractEventName<abi>,
  args: Record<string, unknown>,
) {
  const event = abi.find((item) => item.type === 'event' && item.name === eventName)
  if (!event || event.type !== 'event') throw new Error(`Unknown event ${String(eventName)}`)
  const topics = encodeEventTopics({ abi, eventName, args } as never) as Hex[]
  const unindexed = event.inputs.filter((input) => !input.indexed)
  const data = encodeAbiParameters(
    unindexed,
    unindexed.map((input) => args[input.name!]),
  )
  ctx.logs.push({ address, topics, data })
}
