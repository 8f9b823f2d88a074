import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type Hex } from 'viem'
import { Abis } from 'viem/tempo'
import { expect } from 'vitest'

const knownErrors = [...Abis.tip20ChannelReserve, ...Abis.tip20].filter((item) => item.type === 'error')

/**
 * Asserts that a viem call failed with the named custom error. Contract
 * actions decode it themselves; for raw transactions the revert data in the
 * RPC error is decoded against the TIP-1034 and TIP-20 errors.
 */
export async function expectRevert(promise: Promise<unknown>, errorName: string) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error, `expected a revert with ${errorName}, but the call succeeded`).toBeInstanceOf(BaseError)
  const reverted = (error as BaseError).walk((cause) => cause instanceof ContractFunctionRevertedError) as
    | ContractFunctionRevertedError
    | null
  expect(reverted?.data?.errorName ?? rawErrorName(error as BaseError) ?? (error as Error).message).toBe(errorName)
}

function rawErrorName(error: BaseError): string | undefined {
  const withData = error.walk((cause) => typeof (cause as { data?: unknown }).data === 'string') as { data: Hex } | null
  if (!withData?.data.startsWith('0x') || withData.data.length < 10) return undefined
  try {
    return decodeErrorResult({ abi: knownErrors, data: withData.data }).errorName
  } catch {
    return undefined
  }
}
