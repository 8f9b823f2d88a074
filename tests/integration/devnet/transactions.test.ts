/**
 * Tempo transactions on the devnet: batched atomic calls, both nonce kinds,
 * TIP-1009 expiring-nonce replay protection and validity windows, chain id
 * and signature checks, fees in TIP-20 (own token or sponsored), and
 * ordinary EIP-1559 and legacy transactions from dev accounts.
 */
import { encodeFunctionData, type Hex, parseEventLogs, parseUnits, RpcRequestError } from 'viem'
import { Secp256k1 } from 'ox'
import { SignatureEnvelope, TxEnvelopeTempo } from 'ox/tempo'
import { privateKeyToAccount } from 'viem/accounts'
import { Abis } from 'viem/tempo'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { alphaUsdAddress, feeManagerAddress, pathUsdAddress } from '@/devnet/index'
import { startDevnet, type TestDevnet } from '../../support/devnet'

let devnet: TestDevnet
beforeAll(async () => void (devnet = await startDevnet()))
afterAll(() => devnet.stop())

const usd = (value: string) => parseUnits(value, 6)
const transfer = (token: Hex, to: Hex, amount: bigint) => ({
  to: token,
  data: encodeFunctionData({ abi: Abis.tip20, functionName: 'transfer', args: [to, amount] }),
})
const now = () => Math.floor(Date.now() / 1000)

async function sendRaw(raw: Hex) {
  return devnet.client(0).request({ method: 'eth_sendRawTransaction', params: [raw] })
}

async function rejection(raw: Hex): Promise<string> {
  const error = await sendRaw(raw).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error, 'the devnet accepted a transaction it should refuse').toBeDefined()
  const rpc = (error as { walk: (f: (e: unknown) => boolean) => unknown }).walk((e) => e instanceof RpcRequestError) as RpcRequestError
  expect(rpc.code).toBe(-32003)
  return rpc.details
}

/** Re-signs a Tempo transaction after changing fields, as a client for another chain would have signed it. */
function resign(raw: Hex, privateKey: Hex, changes: Partial<TxEnvelopeTempo.TxEnvelopeTempo>): Hex {
  const { signature: _, ...envelope } = TxEnvelopeTempo.deserialize(raw as TxEnvelopeTempo.Serialized)
  const changed = TxEnvelopeTempo.from({ ...envelope, ...changes } as TxEnvelopeTempo.TxEnvelopeTempo)
  const signature = Secp256k1.sign({ payload: TxEnvelopeTempo.getSignPayload(changed), privateKey })
  return TxEnvelopeTempo.serialize(changed, { signature: SignatureEnvelope.from(signature) })
}

async function signTempo(index: number, request: Record<string, unknown>): Promise<Hex> {
  const client = devnet.client(index)
  const prepared = await client.prepareTransactionRequest({ nonceKey: 'expiring', ...request } as never)
  return client.signTransaction({ ...(prepared as object), ...request } as never)
}

describe('Tempo transactions (0x76)', () => {
  test('several calls apply atomically: all or nothing, while the fee and nonce still count', async () => {
    const [a, b] = [devnet.accounts[4]!.address, devnet.accounts[5]!.address]
    const before = [await devnet.balance(a), await devnet.balance(b)]
    const ok = await devnet.client(0).sendTransactionSync({
      calls: [transfer(pathUsdAddress, a, 1n), transfer(pathUsdAddress, b, 2n)],
    } as never)
    expect(ok.status).toBe('success')
    expect([await devnet.balance(a), await devnet.balance(b)]).toEqual([before[0]! + 1n, before[1]! + 2n])

    const senderBefore = await devnet.balance(devnet.accounts[0]!.address)
    const raw = await signTempo(0, {
      calls: [transfer(pathUsdAddress, a, 1n), transfer(pathUsdAddress, b, usd('9999999'))],
      gas: 200_000n,
    })
    const hash = await sendRaw(raw)
    const receipt = await devnet.client(0).waitForTransactionReceipt({ hash })
    expect(receipt.status).toBe('reverted')
    expect([await devnet.balance(a), await devnet.balance(b)]).toEqual([before[0]! + 1n, before[1]! + 2n])
    const fee = devnet.chain.receipts.get(hash)!.fee
    expect(fee).toBeGreaterThan(0n)
    expect(await devnet.balance(devnet.accounts[0]!.address)).toBe(senderBefore - fee)
  })

  test('transferWithMemo (what one-shot charges send) moves the amount and logs Transfer and TransferWithMemo', async () => {
    const to = devnet.accounts[6]!.address
    const memo = `0x${'ab'.repeat(32)}` as Hex
    const before = await devnet.balance(to)
    const receipt = await devnet.client(0).sendTransactionSync({
      calls: [{ to: pathUsdAddress, data: encodeFunctionData({ abi: Abis.tip20, functionName: 'transferWithMemo', args: [to, 7n, memo] }) }],
    } as never)
    expect(receipt.status).toBe('success')
    expect(await devnet.balance(to)).toBe(before + 7n)
    const logs = parseEventLogs({ abi: Abis.tip20, logs: receipt.logs }).filter((log) => log.address.toLowerCase() === pathUsdAddress.toLowerCase())
    expect(logs.filter((log) => log.eventName === 'Transfer' && (log.args as { to: Hex }).to === to).map((log) => log.args)).toMatchObject([{ amount: 7n }])
    expect(logs.find((log) => log.eventName === 'TransferWithMemo')!.args).toMatchObject({ to, amount: 7n, memo })
  })

  test('the fee is charged in the fee token, paid to the fee manager, and logged as a Transfer', async () => {
    const sender = devnet.accounts[6]!.address
    const pathBefore = await devnet.balance(sender)
    const alphaBefore = await devnet.balance(sender, alphaUsdAddress)
    const sinkBefore = await devnet.balance(feeManagerAddress, alphaUsdAddress)
    const receipt = await devnet.client(6).sendTransactionSync({
      calls: [transfer(pathUsdAddress, devnet.accounts[7]!.address, 10n)],
      feeToken: alphaUsdAddress,
    } as never)
    const fee = devnet.chain.receipts.get(receipt.transactionHash)!.fee
    expect(fee).toBe((receipt.gasUsed * receipt.effectiveGasPrice + 10n ** 12n - 1n) / 10n ** 12n)
    expect(await devnet.balance(sender)).toBe(pathBefore - 10n)
    expect(await devnet.balance(sender, alphaUsdAddress)).toBe(alphaBefore - fee)
    expect(await devnet.balance(feeManagerAddress, alphaUsdAddress)).toBe(sinkBefore + fee)
    expect((receipt as unknown as { feeToken: string }).feeToken.toLowerCase()).toBe(alphaUsdAddress)
  })

  test('a sponsoring fee payer pays the fee; the sender pays only its calls', async () => {
    const sender = devnet.client(8)
    const sponsor = privateKeyToAccount(devnet.accounts[9]!.privateKey)
    const senderBefore = await devnet.balance(sender.account.address)
    const sponsorBefore = await devnet.balance(sponsor.address)
    const prepared = await sender.prepareTransactionRequest({
      calls: [transfer(pathUsdAddress, devnet.accounts[1]!.address, 5n)],
      feePayer: true,
      nonceKey: 'expiring',
      feeToken: pathUsdAddress,
    } as never)
    const raw = await sender.signTransaction({ ...(prepared as object), feePayer: sponsor } as never)
    const receipt = await sender.request({ method: 'eth_sendRawTransactionSync', params: [raw] } as never) as { feePayer: string; transactionHash: Hex }
    expect(receipt.feePayer.toLowerCase()).toBe(sponsor.address.toLowerCase())
    const fee = devnet.chain.receipts.get(receipt.transactionHash)!.fee
    expect(await devnet.balance(sender.account.address)).toBe(senderBefore - 5n)
    expect(await devnet.balance(sponsor.address)).toBe(sponsorBefore - fee)
  })

  test('a transaction that asks for a sponsor but carries no sponsor signature is refused', async () => {
    const sender = devnet.client(8)
    const prepared = await sender.prepareTransactionRequest({
      calls: [transfer(pathUsdAddress, devnet.accounts[1]!.address, 5n)],
      feePayer: true,
      nonceKey: 'expiring',
    } as never)
    const raw = await sender.signTransaction(prepared as never)
    expect(await rejection(raw)).toMatch(/no fee payer has signed|fee-payer envelope/)
  })
})

describe('nonces', () => {
  test('sequential nonce keys: key 0 is the protocol nonce, other keys count on their own', async () => {
    const client = devnet.client(3)
    const address = client.account.address
    const before = await client.getTransactionCount({ address })
    await client.sendTransactionSync({ calls: [transfer(pathUsdAddress, address, 0n)], nonceKey: 0n } as never)
    expect(await client.getTransactionCount({ address })).toBe(before + 1)
    for (const nonce of [0, 1]) {
      const raw = await signTempo(3, { calls: [transfer(pathUsdAddress, address, 0n)], nonceKey: 7n, nonce })
      await client.waitForTransactionReceipt({ hash: await sendRaw(raw) })
    }
    expect(await client.getTransactionCount({ address })).toBe(before + 1)
    const replay = await signTempo(3, { calls: [transfer(pathUsdAddress, address, 1n)], nonceKey: 7n, nonce: 1 })
    expect(await rejection(replay)).toMatch(/nonce too low.*key 7.*is 2, got 1/)
    const gap = await signTempo(3, { calls: [transfer(pathUsdAddress, address, 0n)], nonceKey: 7n, nonce: 5 })
    expect(await rejection(gap)).toMatch(/nonce too high/)
  })

  test('expiring nonces take any nonce value and cannot be replayed', async () => {
    const call = transfer(pathUsdAddress, devnet.accounts[2]!.address, 1n)
    const raw = await signTempo(2, { calls: [call], nonce: 123456, validBefore: now() + 20 })
    await devnet.client(2).waitForTransactionReceipt({ hash: await sendRaw(raw) })
    expect(await rejection(raw)).toBe('already known')
  })

  test('replay protection keys on the sender-signed body: another sponsor signature does not make it new', async () => {
    const sender = devnet.client(8)
    const prepared = await sender.prepareTransactionRequest({
      calls: [transfer(pathUsdAddress, devnet.accounts[1]!.address, 1n)],
      feePayer: true,
      nonceKey: 'expiring',
      feeToken: pathUsdAddress,
    } as never)
    const sponsoredBy = (index: number) =>
      sender.signTransaction({ ...(prepared as object), feePayer: privateKeyToAccount(devnet.accounts[index]!.privateKey) } as never)
    const [first, second] = [await sponsoredBy(9), await sponsoredBy(7)]
    expect(first).not.toBe(second)
    await sender.waitForTransactionReceipt({ hash: await sendRaw(first) })
    expect(await rejection(second)).toBe('replayed expiring nonce transaction')
  })

  test('expiring nonce windows: validBefore required, in the future and at most 30 s ahead; validAfter respected', async () => {
    const call = transfer(pathUsdAddress, devnet.accounts[2]!.address, 1n)
    expect(await rejection(await signTempo(2, { calls: [call], validBefore: now() - 1 }))).toMatch(/transaction expired/)
    expect(await rejection(await signTempo(2, { calls: [call], validBefore: now() + 120 }))).toMatch(/more than 30s after chain time/)
    expect(await rejection(await signTempo(2, { calls: [call], validBefore: now() + 20, validAfter: now() + 10 }))).toMatch(
      /not yet valid/,
    )
  })
})

describe('refusals before mining', () => {
  test('a transaction for another chain id', async () => {
    const signed = await signTempo(2, { calls: [transfer(pathUsdAddress, devnet.accounts[2]!.address, 1n)] })
    const raw = resign(signed, devnet.accounts[2]!.privateKey, { chainId: 42431 })
    expect(await rejection(raw)).toMatch(/invalid chain id: this devnet is chain 1337, the transaction is for 42431/)
  })

  test('a tampered signature recovers a stranger with no funds, and nothing moves', async () => {
    const raw = await signTempo(2, { calls: [transfer(pathUsdAddress, devnet.accounts[3]!.address, usd('1'))] })
    const tampered = `${raw.slice(0, -6)}${raw.slice(-6, -4) === '00' ? '01' : '00'}${raw.slice(-4)}` as Hex
    const before = await devnet.balance(devnet.accounts[3]!.address)
    expect(await rejection(tampered)).toMatch(/insufficient funds for gas|Could not decode/)
    expect(await devnet.balance(devnet.accounts[3]!.address)).toBe(before)
  })

  test('a sender without the fee', async () => {
    const pauper = privateKeyToAccount(`0x${'42'.repeat(32)}`)
    const client = devnet.client(0)
    const prepared = await client.prepareTransactionRequest({
      account: pauper,
      calls: [transfer(pathUsdAddress, devnet.accounts[3]!.address, 0n)],
      nonceKey: 'expiring',
    } as never)
    const raw = await pauper.signTransaction(prepared as never, { serializer: devnet.viemChain.serializers!.transaction } as never)
    expect(await rejection(raw)).toMatch(/insufficient funds for gas: .* has 0/)
  })

  test('garbage bytes', async () => {
    expect(await rejection('0x76deadbeef')).toMatch(/Could not decode transaction/)
    expect(await rejection('0x05c0')).toMatch(/Unsupported transaction type 0x05/)
  })
})

describe('Ethereum transactions from dev accounts', () => {
  test('EIP-1559 and legacy transactions run with fees in pathUSD', async () => {
    const client = devnet.client(4)
    const to = devnet.accounts[5]!.address
    const before = await devnet.balance(to)
    const data = encodeFunctionData({ abi: Abis.tip20, functionName: 'transfer', args: [to, 3n] })
    const eip1559 = await client.sendTransactionSync({ to: pathUsdAddress, data, type: 'eip1559' })
    const legacy = await client.sendTransactionSync({ to: pathUsdAddress, data, type: 'legacy', gasPrice: 20_000_000_000n })
    expect([eip1559.status, eip1559.type, legacy.status, legacy.type]).toEqual(['success', 'eip1559', 'success', 'legacy'])
    expect(await devnet.balance(to)).toBe(before + 6n)
  })
})
