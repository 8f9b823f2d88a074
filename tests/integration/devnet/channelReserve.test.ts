/**
 * TIP-1034 conformance, driven by viem's own `Actions.channel.*` against the
 * devnet over HTTP: every rule and every revert path of the channel reserve.
 */
import { Channel } from 'ox/tempo'
import { type Address, encodeFunctionData, type Hex, isAddressEqual, maxUint256, parseUnits, toEventSelector, zeroAddress } from 'viem'
import { Abis, Actions } from 'viem/tempo'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { alphaUsdAddress, channelReserveAddress, pathUsdAddress } from '@/devnet/index'
import { startDevnet, type TestDevnet } from '../../support/devnet'
import { expectRevert } from '../../support/revert'

let devnet: TestDevnet
let payer: ReturnType<TestDevnet['client']>
let payee: ReturnType<TestDevnet['client']>
let operator: ReturnType<TestDevnet['client']>
let stranger: ReturnType<TestDevnet['client']>

beforeAll(async () => {
  devnet = await startDevnet()
  payer = devnet.client(0)
  payee = devnet.client(1)
  operator = devnet.client(2)
  stranger = devnet.client(3)
})
afterAll(() => devnet.stop())

const usd = (value: string) => parseUnits(value, 6)

async function open(parameters: { deposit?: bigint; operator?: Address; authorizedSigner?: Address; token?: Address } = {}) {
  const opened = await Actions.channel.openSync(payer, {
    payee: payee.account.address,
    token: parameters.token ?? pathUsdAddress,
    deposit: parameters.deposit ?? usd('1'),
    operator: parameters.operator,
    authorizedSigner: parameters.authorizedSigner,
  })
  const channel = {
    payer: payer.account.address,
    payee: payee.account.address,
    operator: opened.operator,
    token: opened.token,
    salt: opened.salt,
    authorizedSigner: opened.authorizedSigner,
    expiringNonceHash: opened.expiringNonceHash,
  }
  return { ...opened, channel }
}

function voucher(channelId: Hex, cumulativeAmount: bigint, signer = payer) {
  return Actions.channel.signVoucher(signer, { channel: channelId, cumulativeAmount })
}

async function state(channelId: Hex) {
  return payer.readContract({
    address: channelReserveAddress,
    abi: Abis.tip20ChannelReserve,
    functionName: 'getChannelState',
    args: [channelId],
  })
}

describe('views', () => {
  test('constants and encodings match ox/tempo', async () => {
    const read = <name extends 'CLOSE_GRACE_PERIOD' | 'VOUCHER_TYPEHASH' | 'domainSeparator'>(functionName: name) =>
      payer.readContract({ address: channelReserveAddress, abi: Abis.tip20ChannelReserve, functionName })
    expect(await read('CLOSE_GRACE_PERIOD')).toBe(900n)
    expect(await read('VOUCHER_TYPEHASH')).toBe(Channel.voucherTypehash)
    expect(await read('domainSeparator')).toBe(Channel.domainSeparator({ chainId: 1337 }))
    const channelId = `0x${'ab'.repeat(32)}` as Hex
    expect(
      await payer.readContract({
        address: channelReserveAddress,
        abi: Abis.tip20ChannelReserve,
        functionName: 'getVoucherDigest',
        args: [channelId, 5n],
      }),
    ).toBe(Channel.getVoucherSignPayload({ chainId: 1337, channelId, cumulativeAmount: 5n }))
  })

  test('computeChannelId, getChannel and getChannelStatesBatch agree with the opened channel', async () => {
    const { channelId, channel } = await open()
    const c = channel
    expect(
      await payer.readContract({
        address: channelReserveAddress,
        abi: Abis.tip20ChannelReserve,
        functionName: 'computeChannelId',
        args: [c.payer, c.payee, c.operator, c.token, c.salt, c.authorizedSigner, c.expiringNonceHash],
      }),
    ).toBe(channelId)
    expect(Channel.computeId(channel, { chainId: 1337 })).toBe(channelId)
    const full = await payer.readContract({
      address: channelReserveAddress,
      abi: Abis.tip20ChannelReserve,
      functionName: 'getChannel',
      args: [channel],
    })
    expect(full.state).toEqual({ settled: 0n, deposit: usd('1'), closeRequestedAt: 0 })
    const unknown = `0x${'00'.repeat(31)}01` as Hex
    expect(
      await payer.readContract({
        address: channelReserveAddress,
        abi: Abis.tip20ChannelReserve,
        functionName: 'getChannelStatesBatch',
        args: [[channelId, unknown]],
      }),
    ).toEqual([
      { settled: 0n, deposit: usd('1'), closeRequestedAt: 0 },
      { settled: 0n, deposit: 0n, closeRequestedAt: 0 },
    ])
  })
})

describe('open', () => {
  test('moves the deposit payer → reserve without an approve and emits ChannelOpened', async () => {
    const payerBefore = await devnet.balance(payer.account.address)
    const reserveBefore = await devnet.balance(channelReserveAddress)
    const opened = await open({ deposit: usd('2.5') })
    expect(opened.deposit).toBe(usd('2.5'))
    expect(opened.payer).toBe(payer.account.address)
    expect(await devnet.balance(channelReserveAddress)).toBe(reserveBefore + usd('2.5'))
    const fee = await feePaid(opened.receipt.transactionHash)
    expect(await devnet.balance(payer.account.address)).toBe(payerBefore - usd('2.5') - fee)
    expect(await state(opened.channelId)).toEqual({ settled: 0n, deposit: usd('2.5'), closeRequestedAt: 0 })
  })

  test.each([
    ['a zero payee', { payee: zeroAddress }, 'InvalidPayee'],
    ['a TIP-20 payee', { payee: pathUsdAddress }, 'InvalidPayee'],
    ['a zero deposit', { deposit: 0n }, 'ZeroDeposit'],
  ] as const)('refuses %s', async (_name, override, errorName) => {
    await expectRevert(
      Actions.channel.openSync(payer, { payee: payee.account.address, token: pathUsdAddress, deposit: usd('1'), ...override }),
      errorName,
    )
  })

  test('refuses a deposit beyond the payer balance with TIP-20 InsufficientBalance', async () => {
    await expectRevert(
      Actions.channel.openSync(payer, { payee: payee.account.address, token: pathUsdAddress, deposit: usd('2000000') }),
      'InsufficientBalance',
    )
  })

  test('refuses a token that is not a TIP-20', async () => {
    await expectRevert(
      Actions.channel.openSync(payer, {
        payee: payee.account.address,
        token: '0x20c00000000000000000000000000000000000ff',
        deposit: usd('1'),
      }),
      'InvalidToken',
    )
  })

  test('two opens with the same salt in one transaction collide: ChannelAlreadyExists', async () => {
    const salt = `0x${'11'.repeat(32)}` as Hex
    const call = Actions.channel.open.call({ payee: payee.account.address, token: pathUsdAddress, deposit: usd('1'), salt })
    await expectRevert(payer.sendTransaction({ calls: [call, call] } as never), 'ChannelAlreadyExists')
  })

  test('opens in another currency', async () => {
    const opened = await open({ token: alphaUsdAddress, deposit: usd('3') })
    expect(isAddressEqual(opened.token, alphaUsdAddress)).toBe(true)
    expect(await devnet.balance(channelReserveAddress, alphaUsdAddress)).toBeGreaterThanOrEqual(usd('3'))
  })

  test('a uint96 argument with high bits set is refused like Solidity’s ABI decoder', async () => {
    const data = encodeFunctionData({
      abi: Abis.tip20ChannelReserve,
      functionName: 'open',
      args: [payee.account.address, zeroAddress, pathUsdAddress, 1n, `0x${'22'.repeat(32)}`, zeroAddress],
    })
    // Overwrite the deposit word (4th argument) with 2^96.
    const word = (1n << 96n).toString(16).padStart(64, '0')
    const tampered = `${data.slice(0, 10 + 64 * 3)}${word}${data.slice(10 + 64 * 4)}` as Hex
    await expect(payer.call({ to: channelReserveAddress, data: tampered })).rejects.toThrow(/does not fit in uint96/)
  })
})

describe('settle', () => {
  test('pays the payee only the new delta and records settled', async () => {
    const { channelId, channel } = await open()
    const payeeBefore = await devnet.balance(payee.account.address)
    const first = await Actions.channel.settleSync(payee, { channel, cumulativeAmount: usd('0.3'), signature: await voucher(channelId, usd('0.3')) })
    expect([first.deltaPaid, first.newSettled]).toEqual([usd('0.3'), usd('0.3')])
    const second = await Actions.channel.settleSync(payee, { channel, cumulativeAmount: usd('0.5'), signature: await voucher(channelId, usd('0.5')) })
    expect([second.deltaPaid, second.newSettled]).toEqual([usd('0.2'), usd('0.5')])
    const fees = (await feePaid(first.receipt.transactionHash)) + (await feePaid(second.receipt.transactionHash))
    expect(await devnet.balance(payee.account.address)).toBe(payeeBefore + usd('0.5') - fees)
    expect(await state(channelId)).toMatchObject({ settled: usd('0.5'), deposit: usd('1') })
  })

  test('an operator may settle for the payee; the money still goes to the payee', async () => {
    const { channelId, channel } = await open({ operator: operator.account.address })
    const payeeBefore = await devnet.balance(payee.account.address)
    await Actions.channel.settleSync(operator, { channel, cumulativeAmount: usd('0.1'), signature: await voucher(channelId, usd('0.1')) })
    expect(await devnet.balance(payee.account.address)).toBe(payeeBefore + usd('0.1'))
  })

  test('vouchers from an authorizedSigner verify; the payer’s own no longer do', async () => {
    const { channelId, channel } = await open({ authorizedSigner: stranger.account.address })
    await expectRevert(
      Actions.channel.settleSync(payee, { channel, cumulativeAmount: 1n, signature: await voucher(channelId, 1n, payer) }),
      'InvalidSignature',
    )
    const settled = await Actions.channel.settleSync(payee, { channel, cumulativeAmount: 1n, signature: await voucher(channelId, 1n, stranger) })
    expect(settled.newSettled).toBe(1n)
  })

  test('refusals: not payee or operator, beyond deposit, not increasing, bad or foreign signature, unknown channel', async () => {
    const { channelId, channel } = await open()
    const signed = await voucher(channelId, usd('0.2'))
    await expectRevert(Actions.channel.settleSync(payer, { channel, cumulativeAmount: usd('0.2'), signature: signed }), 'NotPayeeOrOperator')
    await expectRevert(
      Actions.channel.settleSync(payee, { channel, cumulativeAmount: usd('1.01'), signature: await voucher(channelId, usd('1.01')) }),
      'AmountExceedsDeposit',
    )
    await expectRevert(
      Actions.channel.settleSync(payee, { channel, cumulativeAmount: usd('0.2'), signature: await voucher(channelId, usd('0.2'), stranger) }),
      'InvalidSignature',
    )
    await expectRevert(
      Actions.channel.settleSync(payee, { channel, cumulativeAmount: usd('0.3'), signature: signed }),
      'InvalidSignature',
    )
    await expectRevert(
      Actions.channel.settleSync(payee, { channel, cumulativeAmount: usd('0.2'), signature: '0x1234' }),
      'InvalidSignature',
    )
    await Actions.channel.settleSync(payee, { channel, cumulativeAmount: usd('0.2'), signature: signed })
    await expectRevert(Actions.channel.settleSync(payee, { channel, cumulativeAmount: usd('0.2'), signature: signed }), 'AmountNotIncreasing')
    await expectRevert(
      Actions.channel.settleSync(payee, { channel: { ...channel, salt: `0x${'99'.repeat(32)}` }, cumulativeAmount: 1n, signature: signed }),
      'ChannelNotFound',
    )
  })
})

describe('topUp', () => {
  test('adds deposit; only the payer may', async () => {
    const { channelId, channel } = await open()
    const topped = await Actions.channel.topUpSync(payer, { channel, additionalDeposit: usd('0.5') })
    expect([topped.additionalDeposit, topped.newDeposit]).toEqual([usd('0.5'), usd('1.5')])
    expect((await state(channelId)).deposit).toBe(usd('1.5'))
    await expectRevert(Actions.channel.topUpSync(payee, { channel, additionalDeposit: 1n }), 'NotPayer')
  })

  test('a top-up, even of zero, cancels a pending close request', async () => {
    const { channelId, channel } = await open()
    await Actions.channel.requestCloseSync(payer, { channel })
    expect((await state(channelId)).closeRequestedAt).toBeGreaterThan(0)
    const receipt = await payer.sendTransactionSync({
      ...Actions.channel.topUp.call({ channel, additionalDeposit: 0n }),
    } as never)
    expect(eventNames(receipt)).toEqual(['CloseRequestCancelled', 'TopUp'])
    expect(await state(channelId)).toMatchObject({ closeRequestedAt: 0, deposit: usd('1') })
  })
})

describe('close', () => {
  test('captures for the payee and refunds the rest to the payer; settledToPayee is the total', async () => {
    const { channelId, channel } = await open({ deposit: usd('1') })
    await Actions.channel.settleSync(payee, { channel, cumulativeAmount: usd('0.2'), signature: await voucher(channelId, usd('0.2')) })
    const payerBefore = await devnet.balance(payer.account.address)
    const payeeBefore = await devnet.balance(payee.account.address)
    const closed = await Actions.channel.closeSync(payee, {
      channel,
      cumulativeAmount: usd('0.35'),
      captureAmount: usd('0.35'),
      signature: await voucher(channelId, usd('0.35')),
    })
    expect([closed.settledToPayee, closed.refundedToPayer]).toEqual([usd('0.35'), usd('0.65')])
    expect(await devnet.balance(payer.account.address)).toBe(payerBefore + usd('0.65'))
    const fee = await feePaid(closed.receipt.transactionHash)
    expect(await devnet.balance(payee.account.address)).toBe(payeeBefore + usd('0.15') - fee)
  })

  test('capturing only what is settled needs no voucher', async () => {
    const { channelId, channel } = await open()
    await Actions.channel.settleSync(payee, { channel, cumulativeAmount: 7n, signature: await voucher(channelId, 7n) })
    const closed = await Actions.channel.closeSync(payee, { channel, cumulativeAmount: 7n, captureAmount: 7n, signature: '0x' })
    expect(closed.settledToPayee).toBe(7n)
  })

  test('refusals: capture below settled or above cumulative or deposit, bad voucher, the payer closing', async () => {
    const { channelId, channel } = await open()
    await Actions.channel.settleSync(payee, { channel, cumulativeAmount: 10n, signature: await voucher(channelId, 10n) })
    const signed = await voucher(channelId, 20n)
    const close = (captureAmount: bigint, cumulativeAmount = 20n, signature: Hex = signed, client = payee) =>
      Actions.channel.closeSync(client, { channel, cumulativeAmount, captureAmount, signature })
    await expectRevert(close(9n), 'CaptureAmountInvalid')
    await expectRevert(close(21n), 'CaptureAmountInvalid')
    await expectRevert(close(usd('1.5'), usd('1.5'), await voucher(channelId, usd('1.5'))), 'AmountExceedsDeposit')
    await expectRevert(close(20n, 20n, await voucher(channelId, 20n, stranger)), 'InvalidSignature')
    await expectRevert(close(20n, 20n, signed, payer), 'NotPayeeOrOperator')
  })

  test('a closed channel is gone: zero state, and every operation reverts ChannelNotFound', async () => {
    const { channelId, channel } = await open()
    await Actions.channel.closeSync(payee, { channel, cumulativeAmount: 0n, captureAmount: 0n, signature: '0x' })
    expect(await state(channelId)).toEqual({ settled: 0n, deposit: 0n, closeRequestedAt: 0 })
    const signed = await voucher(channelId, 1n)
    await expectRevert(Actions.channel.settleSync(payee, { channel, cumulativeAmount: 1n, signature: signed }), 'ChannelNotFound')
    await expectRevert(Actions.channel.topUpSync(payer, { channel, additionalDeposit: 1n }), 'ChannelNotFound')
    await expectRevert(Actions.channel.requestCloseSync(payer, { channel }), 'ChannelNotFound')
    await expectRevert(Actions.channel.withdrawSync(payer, { channel }), 'ChannelNotFound')
    await expectRevert(Actions.channel.closeSync(payee, { channel, cumulativeAmount: 0n, captureAmount: 0n, signature: '0x' }), 'ChannelNotFound')
  })
})

describe('requestClose → withdraw', () => {
  test('only the payer may request; repeated requests keep the first timestamp', async () => {
    const { channelId, channel } = await open()
    await expectRevert(Actions.channel.requestCloseSync(payee, { channel }), 'NotPayer')
    const requested = await Actions.channel.requestCloseSync(payer, { channel })
    const block = await payer.getBlock({ blockNumber: requested.receipt.blockNumber })
    expect(requested.closeGraceEnd).toBe(block.timestamp + 900n)
    const first = (await state(channelId)).closeRequestedAt
    await Actions.channel.requestCloseSync(payer, { channel }).catch(() => undefined)
    expect((await state(channelId)).closeRequestedAt).toBe(first)
  })

  test('withdraw waits for the grace period, then refunds deposit − settled', async () => {
    const snapshot = await devnet.snapshot()
    try {
      const { channelId, channel } = await open({ deposit: usd('1') })
      await Actions.channel.settleSync(payee, { channel, cumulativeAmount: usd('0.25'), signature: await voucher(channelId, usd('0.25')) })
      await expectRevert(Actions.channel.withdrawSync(payer, { channel }), 'CloseNotReady')
      await Actions.channel.requestCloseSync(payer, { channel })
      await expectRevert(Actions.channel.withdrawSync(payer, { channel }), 'CloseNotReady')
      await devnet.increaseTime(900)
      await devnet.mine()
      // Chain time is now ~15 minutes ahead of this process's clock, and viem derives
      // expiring nonces' validBefore from Date.now(): send with a sequential nonce instead.
      await expectRevert(Actions.channel.withdrawSync(payee, { channel, nonceKey: 0n } as never), 'NotPayer')
      const payerBefore = await devnet.balance(payer.account.address)
      const withdrawn = await Actions.channel.withdrawSync(payer, { channel, nonceKey: 0n } as never)
      expect([withdrawn.settledToPayee, withdrawn.refundedToPayer]).toEqual([usd('0.25'), usd('0.75')])
      const fee = await feePaid(withdrawn.receipt.transactionHash)
      expect(await devnet.balance(payer.account.address)).toBe(payerBefore + usd('0.75') - fee)
      expect(await state(channelId)).toEqual({ settled: 0n, deposit: 0n, closeRequestedAt: 0 })
    } finally {
      await devnet.revert(snapshot)
    }
  })
})

describe('TIP-20 through viem Actions.token', () => {
  test('transfer, approve and transferFrom move balances; allowances are spent and enforced', async () => {
    const before = await devnet.balance(stranger.account.address, alphaUsdAddress)
    const sent = await Actions.token.transferSync(payer, { to: stranger.account.address, amount: usd('2'), token: alphaUsdAddress })
    expect(sent.amount).toBe(usd('2'))
    const approved = await Actions.token.approveSync(payer, { spender: operator.account.address, amount: usd('1'), token: alphaUsdAddress })
    expect(approved.amount).toBe(usd('1'))
    const allowance = () =>
      Actions.token.getAllowance(payer, { account: payer.account.address, spender: operator.account.address, token: alphaUsdAddress })
    expect((await allowance()).amount).toBe(usd('1'))
    const transferFrom = (amount: bigint) =>
      operator.writeContractSync({
        address: alphaUsdAddress,
        abi: Abis.tip20,
        functionName: 'transferFrom',
        args: [payer.account.address, stranger.account.address, amount],
      })
    await transferFrom(usd('0.4'))
    expect(await devnet.balance(stranger.account.address, alphaUsdAddress)).toBe(before + usd('2.4'))
    expect((await allowance()).amount).toBe(usd('0.6'))
    await expectRevert(transferFrom(usd('0.7')), 'InsufficientAllowance')
    await expectRevert(
      Actions.token.transferSync(stranger, { to: payer.account.address, amount: usd('5000000'), token: alphaUsdAddress }),
      'InsufficientBalance',
    )
    await expectRevert(Actions.token.transferSync(payer, { to: zeroAddress, amount: 1n, token: alphaUsdAddress }), 'InvalidRecipient')
    const metadata = await Actions.token.getMetadata(payer, { token: alphaUsdAddress })
    expect(metadata).toMatchObject({ name: 'AlphaUSD', symbol: 'AlphaUSD', decimals: 6, currency: 'USD' })
  })

  test('an unlimited allowance is not consumed', async () => {
    await Actions.token.approveSync(payer, { spender: operator.account.address, amount: maxUint256, token: pathUsdAddress })
    await operator.writeContractSync({
      address: pathUsdAddress,
      abi: Abis.tip20,
      functionName: 'transferFrom',
      args: [payer.account.address, stranger.account.address, 5n],
    })
    expect(
      (await Actions.token.getAllowance(payer, { account: payer.account.address, spender: operator.account.address, token: pathUsdAddress })).amount,
    ).toBe(maxUint256)
  })
})

async function feePaid(hash: Hex): Promise<bigint> {
  const receipt = devnet.chain.receipts.get(hash)
  if (!receipt) throw new Error(`no receipt for ${hash}`)
  return receipt.fee
}

/** Names of the channel reserve events a receipt carries, in order. */
function eventNames(receipt: { logs: { address: string; topics: readonly Hex[] }[] }) {
  const events = Abis.tip20ChannelReserve.filter((item) => item.type === 'event')
  return receipt.logs
    .filter((log) => isAddressEqual(log.address as Address, channelReserveAddress))
    .map((log) => events.find((event) => toEventSelector(event) === log.topics[0])?.name ?? 'unknown')
}
