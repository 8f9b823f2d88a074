/**
 * The full mppx 0.11 session lifecycle on the devnet, unchanged: a
 * `tempo.session.manager` client against an mppx server on node:http. Open,
 * paid requests, an SSE stream charged per word with need-voucher top-ups, a
 * manual top-up, a cooperative close; then every balance reconciles exactly.
 */
import { tempo } from 'mppx/client'
import { type Address, createClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { channelReserveAddress, feeManagerAddress, pathUsdAddress } from '@/devnet/index'
import { startDevnet, type TestDevnet } from '../../support/devnet'
import { poemWords, startPaidSite } from '../../support/paidSite'

let devnet: TestDevnet
beforeAll(async () => void (devnet = await startDevnet()))
afterAll(() => devnet.stop())

/** Sums the fees each fee payer paid in blocks after `afterBlock`. */
function feesSince(afterBlock: bigint) {
  const fees = new Map<string, bigint>()
  let total = 0n
  for (const block of devnet.chain.blocks.slice(Number(afterBlock) + 1))
    for (const hash of block.transactions) {
      const receipt = devnet.chain.receipts.get(hash)!
      const payer = receipt.feePayer.toLowerCase()
      fees.set(payer, (fees.get(payer) ?? 0n) + receipt.fee)
      total += receipt.fee
    }
  return { of: (address: Address) => fees.get(address.toLowerCase()) ?? 0n, total }
}

async function runLifecycle(options: { payerIndex: number; recipientIndex: number; sponsorIndex?: number }) {
  const recipient = privateKeyToAccount(devnet.accounts[options.recipientIndex]!.privateKey)
  const payer = privateKeyToAccount(devnet.accounts[options.payerIndex]!.privateKey)
  const sponsor = options.sponsorIndex === undefined ? undefined : privateKeyToAccount(devnet.accounts[options.sponsorIndex]!.privateKey)
  const site = await startPaidSite({ devnet, recipient, currency: pathUsdAddress, feePayer: sponsor, suggestedDeposit: '0.05' })
  const watched: Address[] = [payer.address, recipient.address, channelReserveAddress, feeManagerAddress, ...(sponsor ? [sponsor.address] : [])]
  const balances = async () => Object.fromEntries(await Promise.all(watched.map(async (a) => [a, await devnet.balance(a)] as const)))
  const startBlock = devnet.chain.latest.number
  const before = await balances()
  const session = tempo.session.manager({
    account: payer,
    maxDeposit: '1',
    client: createClient({ chain: devnet.viemChain, transport: http(devnet.url) }),
  })
  try {
    for (let i = 0; i < 3; i++) {
      const response = await session.fetch(`${site.origin}/photo`)
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ url: `${site.origin}/photos/1.svg` })
    }
    expect(session.opened).toBe(true)
    expect(session.cumulative).toBe(30_000n)

    const words: string[] = []
    for await (const word of await session.sse(`${site.origin}/poem`)) words.push(word)
    expect(JSON.parse(words[0]!)).toEqual({ title: 'The Road Not Taken', author: 'Robert Frost' })
    expect(words.slice(1)).toEqual(poemWords)
    expect(session.cumulative).toBe(30_000n + BigInt(poemWords.length) * 1_000n)

    await session.topUp('0.1')
    const receipt = await session.close()
    expect(receipt?.spent).toBe(String(30_000n + BigInt(poemWords.length) * 1_000n))
  } finally {
    await site.close()
  }
  const spent = 30_000n + BigInt(poemWords.length) * 1_000n
  const after = await balances()
  const fees = feesSince(startBlock)
  const channelTxs = devnet.chain.blocks.slice(Number(startBlock) + 1).flatMap((b) => b.transactions)
  return { payer, recipient, sponsor, spent, before, after, fees, channelTxs }
}

describe('mppx 0.11 session lifecycle on the devnet', () => {
  test('open, paid requests, SSE with top-ups, manual top-up, cooperative close: balances reconcile exactly', async () => {
    const { payer, recipient, spent, before, after, fees, channelTxs } = await runLifecycle({ payerIndex: 2, recipientIndex: 1 })
    // At least: the open, a top-up during the stream (deposit 0.05 < 0.072 spent), the manual top-up and the close.
    expect(channelTxs.length).toBeGreaterThanOrEqual(4)
    expect(fees.of(payer.address)).toBeGreaterThan(0n)
    expect(after[payer.address]! - before[payer.address]!).toBe(-(spent + fees.of(payer.address)))
    expect(after[recipient.address]! - before[recipient.address]!).toBe(spent - fees.of(recipient.address))
    expect(after[channelReserveAddress]! - before[channelReserveAddress]!).toBe(0n)
    expect(after[feeManagerAddress]! - before[feeManagerAddress]!).toBe(fees.total)
  })

  test('the same with a sponsoring fee payer: the payer pays exactly what it spent', async () => {
    const { payer, recipient, sponsor, spent, before, after, fees } = await runLifecycle({
      payerIndex: 4,
      recipientIndex: 5,
      sponsorIndex: 6,
    })
    expect(fees.of(payer.address)).toBe(0n)
    expect(fees.of(sponsor!.address)).toBeGreaterThan(0n)
    expect(after[payer.address]! - before[payer.address]!).toBe(-spent)
    expect(after[recipient.address]! - before[recipient.address]!).toBe(spent - fees.of(recipient.address))
    expect(after[sponsor!.address]! - before[sponsor!.address]!).toBe(-fees.of(sponsor!.address))
    expect(after[channelReserveAddress]! - before[channelReserveAddress]!).toBe(0n)
    expect(after[feeManagerAddress]! - before[feeManagerAddress]!).toBe(fees.total)
  })
})
