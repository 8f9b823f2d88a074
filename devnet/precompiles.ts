/**
 * Routes a call to the precompile at its address. Addresses without code
 * (externally owned accounts, unknown contracts) answer an empty success, as
 * the EVM does; clients that decode nothing from them treat that as "absent".
 */
import { type Address, decodeFunctionData, encodeFunctionResult, type Hex, isAddressEqual, zeroAddress } from 'viem'
import { channelReserveAddress, feeManagerAbi, feeManagerAddress, isTip20Address } from './abis'
import * as ChannelReserve from './channelReserve'
import * as Multicall from './multicall'
import { type CallContext, type CallResult, Revert } from './execution'
import * as Tip20 from './tip20'

export function call(ctx: CallContext, to: Address | undefined, data: Hex, value: bigint): CallResult {
  if (value !== 0n) throw new Revert('0x', 'Tempo has no native currency: calls cannot carry value')
  if (!to) {
    if (Multicall.isDeploylessMulticall(data)) return Multicall.call(ctx, data, (inner, target, callData) => call(inner, target, callData, 0n))
    throw new Revert('0x', 'contract creation is not supported on the Drip devnet')
  }
  if (isTip20Address(to)) return Tip20.call(ctx, to, data)
  if (isAddressEqual(to, channelReserveAddress)) return ChannelReserve.call(ctx, data)
  if (isAddressEqual(to, feeManagerAddress)) return feeManager(data)
  return { output: '0x', gas: 0n }
}

/** Addresses that answer `eth_getCode` with a marker, like Tempo's precompiles. */
export function hasCode(ctx: Pick<CallContext, 'state'>, address: Address): boolean {
  if (isTip20Address(address)) return Tip20.exists(ctx.state, address)
  return isAddressEqual(address, channelReserveAddress) || isAddressEqual(address, feeManagerAddress)
}

/** Fee preferences are not modelled: every account pays in the transaction's fee token or pathUSD. */
function feeManager(data: Hex): CallResult {
  let decoded
  try {
    decoded = decodeFunctionData({ abi: feeManagerAbi, data })
  } catch {
    throw new Revert('0x', 'unknown fee manager function selector')
  }
  if (decoded.functionName === 'userTokens')
    return {
      output: encodeFunctionResult({ abi: feeManagerAbi, functionName: 'userTokens', result: zeroAddress }),
      gas: 2_600n,
    }
  throw new Revert('0x', `fee manager ${decoded.functionName} is not supported on the Drip devnet`)
}
