/**
 * The devnet runs no EVM bytecode. viem reads several values at once with a
 * "deployless" Multicall3 (contract-creation calldata wrapping an
 * `aggregate3` call) when a chain has no multicall3 address, as
 * tempoLocalnet does. This module recognises exactly that shape, using
 * viem's own constants, and answers it natively.
 */
import {
  decodeAbiParameters,
  decodeFunctionData,
  deploylessCallViaBytecodeBytecode,
  encodeFunctionResult,
  type Hex,
  multicall3Abi,
} from 'viem'
import { type CallContext, type CallResult, Revert } from './execution'

export function isDeploylessMulticall(data: Hex): boolean {
  return data.toLowerCase().startsWith(deploylessCallViaBytecodeBytecode.toLowerCase())
}

export function call(ctx: CallContext, data: Hex, dispatch: (ctx: CallContext, to: Hex, data: Hex) => CallResult): CallResult {
  const constructorArgs = `0x${data.slice(deploylessCallViaBytecodeBytecode.length)}` as Hex
  const [, innerData] = decodeAbiParameters([{ type: 'bytes' }, { type: 'bytes' }], constructorArgs)
  let decoded
  try {
    decoded = decodeFunctionData({ abi: multicall3Abi, data: innerData })
  } catch {
    throw new Revert('0x', 'only deployless Multicall3 aggregate3 calls are supported on the Drip devnet')
  }
  if (decoded.functionName !== 'aggregate3')
    throw new Revert('0x', `deployless Multicall3 ${decoded.functionName} is not supported on the Drip devnet`)
  let gas = 0n
  const results = decoded.args[0].map((request) => {
    try {
      const result = dispatch(ctx, request.target, request.callData)
      gas += result.gas
      return { success: true, returnData: result.output }
    } catch (error) {
      if (!(error instanceof Revert) || !request.allowFailure) throw error
      return { success: false, returnData: error.data }
    }
  })
  return { output: encodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', result: results }), gas }
}
