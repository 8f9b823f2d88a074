/**
 * Reserve rules that no transaction can reach over RPC, checked on the
 * precompile directly: `open` without a transaction context, and a top-up
 * that would overflow uint96.
 */
import { Channel } from 'ox/tempo'
import { type Address, decodeErrorResult, encodeFunctionData, type Hex, zeroAddress } from 'viem'
import { Abis } from 'viem/tempo'
import { describe, expect, test } from 'vitest'
import * as ChannelReserve from '@/devnet/channelReserve'
import { type CallContext, Revert } from '@/devnet/execution'
import * as Genesis from '@/devnet/genesis'
import * as State from '@/devnet/state'
import { pathUsdAddress } from '@/devnet/abis'

const payer = '0x1000000000000000000000000000000000000001' as Address
const payee = '0x2000000000000000000000000000000000000002' as Address
const maxUint96 = (1n << 96n) - 1n

/** A context whose payer holds `balance` pathUSD. */
function context(overrides: Partial<CallContext> = {}, balance = 10n ** 12n): CallContext {
  const state = Genesis.create()
  state.tokens.get(pathUsdAddress)!.balances.set(payer, balance)
  return {
    state,
    sender: payer,
    timestamp: 1_000n,
    chainId: 1337,
    logs: [],
    openContextHash: `0x${'ab'.repeat(32)}`,
    openedThisTx: new Set(),
    ...overrides,
  }
}

function errorName(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (!(error instanceof Revert)) throw error
    return decodeErrorResult({ abi: Abis.tip20ChannelReserve, data: error.data }).errorName
  }
  throw new Error('expected a revert')
}

const openData = (deposit: bigint, salt: Hex = `0x${'01'.repeat(32)}`) =>
  encodeFunctionData({
    abi: Abis.tip20ChannelReserve,
    functionName: 'open',
    args: [payee, zeroAddress, pathUsdAddress, deposit, salt, zeroAddress],
  })

describe('channel reserve precompile', () => {
  test('open outside a transaction (no expiring nonce hash seeded) reverts ExpiringNonceHashNotSet', () => {
    expect(errorName(() => ChannelReserve.call(context({ openContextHash: undefined }), openData(1n)))).toBe('ExpiringNonceHashNotSet')
  })

  test('a top-up past uint96 reverts DepositOverflow and moves nothing', () => {
    const ctx = context({}, maxUint96 + 10n)
    ChannelReserve.call(ctx, openData(maxUint96 - 1n))
    const descriptor = {
      payer,
      payee,
      operator: zeroAddress,
      token: pathUsdAddress as Address,
      salt: `0x${'01'.repeat(32)}` as Hex,
      authorizedSigner: zeroAddress,
      expiringNonceHash: ctx.openContextHash!,
    }
    const topUp = encodeFunctionData({ abi: Abis.tip20ChannelReserve, functionName: 'topUp', args: [descriptor, 2n] })
    const balance = State.balanceOf(ctx.state, pathUsdAddress, payer)
    expect(errorName(() => ChannelReserve.call(ctx, topUp))).toBe('DepositOverflow')
    expect(State.balanceOf(ctx.state, pathUsdAddress, payer)).toBe(balance)
    const id = Channel.computeId(descriptor, { chainId: 1337 })
    expect(ctx.state.channels.get(id)?.deposit).toBe(maxUint96 - 1n)
  })

  test('a channel closed in this transaction cannot be reopened in it', () => {
    const ctx = context()
    ChannelReserve.call(ctx, openData(5n))
    const id = [...ctx.openedThisTx][0]!
    ctx.state.channels.delete(id)
    expect(errorName(() => ChannelReserve.call(ctx, openData(5n)))).toBe('ChannelAlreadyExists')
  })
})
