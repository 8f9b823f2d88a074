/**
 * TIP-1034 TIP-20 channel reserve at 0x4d50…: payers lock deposits, payees
 * claim increasing cumulative vouchers, and payers can leave unilaterally
 * after the close grace period. Ids, digests and the domain come from
 * `ox/tempo` Channel; signatures are recovered with ox's SignatureEnvelope.
 */
import { Channel, SignatureEnvelope } from 'ox/tempo'
import { type Address, decodeFunctionData, encodeFunctionResult, type Hex, isAddressEqual, zeroAddress } from 'viem'
import { channelReserveAbi, channelReserveAddress, isTip20Address, tip20Abi } from './abis'
import { closeGracePeriod } from './constants'
import { type CallContext, type CallResult, emit, Revert, revert } from './execution'
import type { ChannelState } from './state'
import * as Tip20 from './tip20'

const maxUint96 = (1n << 96n) - 1n

const gasCost = {
  view: 3_000n,
  open: 120_000n,
  topUp: 50_000n,
  settle: 60_000n,
  close: 80_000n,
  requestClose: 30_000n,
  withdraw: 50_000n,
} as const

type Descriptor = {
  payer: Address
  payee: Address
  operator: Address
  token: Address
  salt: Hex
  authorizedSigner: Address
  expiringNonceHash: Hex
}

function channelId(ctx: CallContext, descriptor: Descriptor): Hex {
  return Channel.computeId(descriptor, { chainId: ctx.chainId })
}

function loadExisting(ctx: CallContext, id: Hex): ChannelState {
  const state = ctx.state.channels.get(id)
  if (!state || state.deposit === 0n) revert(channelReserveAbi, 'ChannelNotFound')
  return state
}

function ensurePayer(ctx: CallContext, descriptor: Descriptor) {
  if (!isAddressEqual(ctx.sender, descriptor.payer)) revert(channelReserveAbi, 'NotPayer')
}

function ensurePayeeOrOperator(ctx: CallContext, descriptor: Descriptor) {
  const isPayee = isAddressEqual(ctx.sender, descriptor.payee)
  const isOperator = descriptor.operator !== zeroAddress && isAddressEqual(ctx.sender, descriptor.operator)
  if (!isPayee && !isOperator) revert(channelReserveAbi, 'NotPayeeOrOperator')
}

/** Vouchers are signed by `authorizedSigner`, or by the payer when it is zero. */
function validateVoucher(ctx: CallContext, descriptor: Descriptor, id: Hex, cumulativeAmount: bigint, signature: Hex) {
  const expected = isAddressEqual(descriptor.authorizedSigner, zeroAddress) ? descriptor.payer : descriptor.authorizedSigner
  const payload = Channel.getVoucherSignPayload({ chainId: ctx.chainId, channelId: id, cumulativeAmount })
  let signer: Address
  try {
    const envelope = SignatureEnvelope.deserialize(signature)
    if (envelope.type !== 'secp256k1' && envelope.type !== 'p256' && envelope.type !== 'webAuthn')
      throw new Error('not a primitive signature')
    signer = SignatureEnvelope.extractAddress({ payload, signature: envelope })
    if (!SignatureEnvelope.verify(envelope, { address: signer, payload })) throw new Error('bad signature')
  } catch {
    revert(channelReserveAbi, 'InvalidSignature')
  }
  if (!isAddressEqual(signer, expected)) revert(channelReserveAbi, 'InvalidSignature')
}

/**
 * Ends a channel: refunds the payer, deletes the slot and emits ChannelClosed.
 * `settledToPayee` is the total captured over the channel's life, not a delta.
 */
function finish(ctx: CallContext, id: Hex, descriptor: Descriptor, settledToPayee: bigint, refund: bigint) {
  if (refund > 0n) Tip20.systemTransfer(ctx, descriptor.token, channelReserveAddress, descriptor.payer, refund)
  deleteChannel(ctx, id, descriptor.payer)
  emit(ctx, channelReserveAddress, channelReserveAbi, 'ChannelClosed', {
    channelId: id,
    payer: descriptor.payer,
    payee: descriptor.payee,
    settledToPayee,
    refundedToPayer: refund,
  })
}

/** Deletes the slot (a later read returns the zero state) and credits the payer one storage slot. */
function deleteChannel(ctx: CallContext, id: Hex, payer: Address) {
  ctx.state.channels.delete(id)
  const payerKey = payer.toLowerCase() as Address
  ctx.state.storageCredits.set(payerKey, (ctx.state.storageCredits.get(payerKey) ?? 0n) + 1n)
}

function assertUint96Arguments(functionName: string, args: readonly unknown[] | undefined) {
  const item = channelReserveAbi.find((entry) => entry.type === 'function' && entry.name === functionName)
  if (!item || item.type !== 'function' || !args) return
  item.inputs.forEach((input, index) => {
    if (input.type === 'uint96' && (args[index] as bigint) > maxUint96)
      throw new Revert('0x', `${functionName}: ${input.name} does not fit in uint96`)
  })
}

function toSol(state: ChannelState | undefined) {
  return { settled: state?.settled ?? 0n, deposit: state?.deposit ?? 0n, closeRequestedAt: state?.closeRequestedAt ?? 0 }
}

export function call(ctx: CallContext, data: Hex): CallResult {
  let decoded
  try {
    decoded = decodeFunctionData({ abi: channelReserveAbi, data })
  } catch {
    throw new Revert('0x', 'unknown channel reserve function selector')
  }
  // Solidity's ABI decoder rejects uint96 words with high bits set; viem's decoder does not check.
  assertUint96Arguments(decoded.functionName, decoded.args)
  const result = (value: unknown, gas: bigint = gasCost.view): CallResult => ({
    output:
      value === undefined
        ? '0x'
        : encodeFunctionResult({ abi: channelReserveAbi, functionName: decoded.functionName, result: value } as never),
    gas,
  })

  switch (decoded.functionName) {
    case 'CLOSE_GRACE_PERIOD':
      return result(closeGracePeriod)
    case 'VOUCHER_TYPEHASH':
      return result(Channel.voucherTypehash)
    case 'domainSeparator':
      return result(Channel.domainSeparator({ chainId: ctx.chainId }))
    case 'computeChannelId': {
      const [payer, payee, operator, token, salt, authorizedSigner, expiringNonceHash] = decoded.args
      return result(channelId(ctx, { payer, payee, operator, token, salt, authorizedSigner, expiringNonceHash }))
    }
    case 'getVoucherDigest': {
      const [id, cumulativeAmount] = decoded.args
      return result(Channel.getVoucherSignPayload({ chainId: ctx.chainId, channelId: id, cumulativeAmount }))
    }
    case 'getChannel': {
      const [descriptor] = decoded.args
      return result({ descriptor, state: toSol(ctx.state.channels.get(channelId(ctx, descriptor))) })
    }
    case 'getChannelState':
      return result(toSol(ctx.state.channels.get(decoded.args[0])))
    case 'getChannelStatesBatch':
      return result(decoded.args[0].map((id) => toSol(ctx.state.channels.get(id))))
    case 'storageCredits':
      return result(ctx.state.storageCredits.get(decoded.args[0].toLowerCase() as Address) ?? 0n)

    case 'open': {
      const [payee, operator, token, deposit, salt, authorizedSigner] = decoded.args
      if (payee === zeroAddress || isTip20Address(payee)) revert(channelReserveAbi, 'InvalidPayee')
      if (!Tip20.exists(ctx.state, token)) revert(tip20Abi, 'InvalidToken')
      if (deposit === 0n) revert(channelReserveAbi, 'ZeroDeposit')
      const expiringNonceHash = ctx.openContextHash
      if (!expiringNonceHash || BigInt(expiringNonceHash) === 0n) revert(channelReserveAbi, 'ExpiringNonceHashNotSet')
      const payer = ctx.sender
      const id = channelId(ctx, { payer, payee, operator, token, salt, authorizedSigner, expiringNonceHash })
      if ((ctx.state.channels.get(id)?.deposit ?? 0n) !== 0n || ctx.openedThisTx.has(id))
        revert(channelReserveAbi, 'ChannelAlreadyExists')
      Tip20.systemTransfer(ctx, token, payer, channelReserveAddress, deposit)
      ctx.state.channels.set(id, { settled: 0n, deposit, closeRequestedAt: 0 })
      ctx.openedThisTx.add(id)
      const payerKey = payer.toLowerCase() as Address
      const credits = ctx.state.storageCredits.get(payerKey) ?? 0n
      if (credits > 0n) ctx.state.storageCredits.set(payerKey, credits - 1n)
      emit(ctx, channelReserveAddress, channelReserveAbi, 'ChannelOpened', {
        channelId: id,
        payer,
        payee,
        operator,
        token,
        authorizedSigner,
        salt,
        expiringNonceHash,
        deposit,
      })
      return result(id, gasCost.open)
    }

    case 'settle': {
      const [descriptor, cumulativeAmount, signature] = decoded.args
      const id = channelId(ctx, descriptor)
      const state = loadExisting(ctx, id)
      ensurePayeeOrOperator(ctx, descriptor)
      if (cumulativeAmount > state.deposit) revert(channelReserveAbi, 'AmountExceedsDeposit')
      if (cumulativeAmount <= state.settled) revert(channelReserveAbi, 'AmountNotIncreasing')
      validateVoucher(ctx, descriptor, id, cumulativeAmount, signature)
      const deltaPaid = cumulativeAmount - state.settled
      Tip20.systemTransfer(ctx, descriptor.token, channelReserveAddress, descriptor.payee, deltaPaid)
      state.settled = cumulativeAmount
      emit(ctx, channelReserveAddress, channelReserveAbi, 'Settled', {
        channelId: id,
        payer: descriptor.payer,
        payee: descriptor.payee,
        cumulativeAmount,
        deltaPaid,
        newSettled: cumulativeAmount,
      })
      return result(undefined, gasCost.settle)
    }

    case 'topUp': {
      const [descriptor, additionalDeposit] = decoded.args
      const id = channelId(ctx, descriptor)
      const state = loadExisting(ctx, id)
      ensurePayer(ctx, descriptor)
      const hadCloseRequest = state.closeRequestedAt !== 0
      // A zero top-up only cancels a pending close request.
      if (additionalDeposit === 0n && !hadCloseRequest) return result(undefined, gasCost.topUp)
      if (additionalDeposit !== 0n) {
        const newDeposit = state.deposit + additionalDeposit
        if (newDeposit > maxUint96) revert(channelReserveAbi, 'DepositOverflow')
        Tip20.systemTransfer(ctx, descriptor.token, descriptor.payer, channelReserveAddress, additionalDeposit)
        state.deposit = newDeposit
      }
      if (hadCloseRequest) {
        state.closeRequestedAt = 0
        emit(ctx, channelReserveAddress, channelReserveAbi, 'CloseRequestCancelled', {
          channelId: id,
          payer: descriptor.payer,
          payee: descriptor.payee,
        })
      }
      emit(ctx, channelReserveAddress, channelReserveAbi, 'TopUp', {
        channelId: id,
        payer: descriptor.payer,
        payee: descriptor.payee,
        additionalDeposit,
        newDeposit: state.deposit,
      })
      return result(undefined, gasCost.topUp)
    }

    case 'requestClose': {
      const [descriptor] = decoded.args
      const id = channelId(ctx, descriptor)
      const state = loadExisting(ctx, id)
      ensurePayer(ctx, descriptor)
      // Idempotent while the timer runs.
      if (state.closeRequestedAt !== 0) return result(undefined, gasCost.requestClose)
      state.closeRequestedAt = Number(ctx.timestamp)
      emit(ctx, channelReserveAddress, channelReserveAbi, 'CloseRequested', {
        channelId: id,
        payer: descriptor.payer,
        payee: descriptor.payee,
        closeGraceEnd: ctx.timestamp + closeGracePeriod,
      })
      return result(undefined, gasCost.requestClose)
    }

    case 'close': {
      const [descriptor, cumulativeAmount, captureAmount, signature] = decoded.args
      const id = channelId(ctx, descriptor)
      const state = loadExisting(ctx, id)
      ensurePayeeOrOperator(ctx, descriptor)
      if (captureAmount < state.settled || captureAmount > cumulativeAmount)
        revert(channelReserveAbi, 'CaptureAmountInvalid')
      if (captureAmount > state.deposit) revert(channelReserveAbi, 'AmountExceedsDeposit')
      // A voucher is needed only when the close captures more than was settled.
      if (captureAmount > state.settled) validateVoucher(ctx, descriptor, id, cumulativeAmount, signature)
      const delta = captureAmount - state.settled
      if (delta > 0n) Tip20.systemTransfer(ctx, descriptor.token, channelReserveAddress, descriptor.payee, delta)
      finish(ctx, id, descriptor, captureAmount, state.deposit - captureAmount)
      return result(undefined, gasCost.close)
    }

    case 'withdraw': {
      const [descriptor] = decoded.args
      const id = channelId(ctx, descriptor)
      const state = loadExisting(ctx, id)
      ensurePayer(ctx, descriptor)
      const ready =
        state.closeRequestedAt !== 0 && ctx.timestamp >= BigInt(state.closeRequestedAt) + closeGracePeriod
      if (!ready) revert(channelReserveAbi, 'CloseNotReady')
      finish(ctx, id, descriptor, state.settled, state.deposit - state.settled)
      return result(undefined, gasCost.withdraw)
    }
  }
}
