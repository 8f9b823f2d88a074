/**
 * The ABIs the devnet serves, taken from viem so encodings, events and custom
 * errors match what clients decode.
 */
import { Abis, Addresses } from 'viem/tempo'

export const tip20Abi = Abis.tip20
export const channelReserveAbi = Abis.tip20ChannelReserve
export const feeManagerAbi = Abis.feeManager

export const channelReserveAddress = Addresses.tip20ChannelReserve
export const feeManagerAddress = Addresses.feeManager
export const pathUsdAddress = Addresses.pathUsd

/** TIP-20 tokens live at addresses with this 10-byte prefix. */
export const tip20Prefix = '0x20c000000000000000000000'

export function isTip20Address(address: string): boolean {
  return address.toLowerCase().startsWith(tip20Prefix)
}
