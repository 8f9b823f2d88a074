/**
 * Issue 12's money row: the seeds' servers suggest no deposit, so a one-unit
 * opening deposit meant one top-up transaction per word. With Drip's
 * deposit step (100 units by default) and the pre-filled cap that buys it,
 * reading the seeds' 42-word poem takes one transaction to open and one to
 * close; a step of 1 shows what it cost before.
 */
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { pathUsdAddress } from '@/devnet/index'
import * as Challenge from '@/lib/payments/challenge'
import * as Policy from '@/lib/payments/policy'
import * as WaitingRequests from '@/lib/payments/waitingRequests'
import * as Preferences from '@/lib/payments/preferences'
import * as Driver from '@/lib/streams/driver'
import { fallbackDefaultCap, fallbackPerPaymentLimit } from '@/lib/storage/schema'
import { startDevnet, type TestDevnet } from '../../support/devnet'
import { poemWords, startPaidSite } from '../../support/paidSite'
import { readerScope } from '../../support/readerScope'

let devnet: TestDevnet
let site: Awaited<ReturnType<typeof startPaidSite>>
beforeAll(async () => {
  devnet = await startDevnet()
  site = await startPaidSite({ devnet, recipient: privateKeyToAccount(devnet.accounts[1]!.privateKey), currency: pathUsdAddress })
})
afterAll(async () => {
  await site.close()
  await devnet.stop()
})
beforeEach(() => fakeBrowser.reset())

describe("the seeds' poem (no suggested deposit)", () => {
  test.each([
    // deposit step, reader account, pre-filled cap, cap approved → transactions to read the poem (open + top-ups)
    [100, 2, 5_000_000n, 100_000n, 1],
    // Before: a step of one word; even approved for $1, every word after the first was a top-up.
    [1, 3, 5_000_000n, 1_000_000n, poemWords.length],
  ])('a deposit step of %i units', async (stepUnits, accountIndex, prefilled, approvedCap, toRead) => {
    await Preferences.setDepositUnits(stepUnits)
    const reader = await readerScope(devnet, accountIndex)
    const poemUrl = `${site.origin}/poem`
    const challenge = Challenge.parse((await fetch(poemUrl)).headers.get('www-authenticate'))
    expect(challenge.suggestedDeposit).toBeUndefined()
    // What the popup pre-fills for the pending request: the reader's default cap, whatever the deposit step.
    const { maxDeposit } = WaitingRequests.prefill(challenge, { cap: fallbackDefaultCap, perPaymentLimit: fallbackPerPaymentLimit }, undefined)
    expect(maxDeposit).toBe(prefilled)
    const approval = Policy.approvalFor(challenge, site.origin, { maxDeposit: approvedCap })
    await reader.scope.approvals.grant(approval)
    const before = devnet.chain.blocks.length - 1
    const words: string[] = []
    const end = await Driver.run(
      { payer: reader.scope.payer, ledger: reader.scope.ledger, fetch: reader.scope.fetch },
      { origin: site.origin, url: poemUrl, challenge, approval, lookaheadUnits: 0, signal: new AbortController().signal },
      (update) => void (update.type === 'message' && words.push(update.data)),
    )
    expect(end.reason, end.message).toBe('complete')
    expect(words.slice(1)).toEqual(poemWords)
    const payer = reader.account.address.toLowerCase()
    const opened = devnet.reserveEvents('ChannelOpened', BigInt(before)).filter((e) => e.args.payer.toLowerCase() === payer)
    const topUps = devnet.reserveEvents('TopUp', BigInt(before)).filter((e) => e.args.channelId === opened[0]!.args.channelId)
    console.info(`deposit step ${stepUnits}: ${opened.length} open + ${topUps.length} top-ups to read ${poemWords.length} words`)
    expect(opened.length + topUps.length).toBe(toRead)

    const [channel] = await reader.views()
    await reader.scope.lifecycle.close(site.origin, channel!.channelId)
    const closed = devnet.reserveEvents('ChannelClosed', BigInt(before)).filter((e) => e.args.channelId === opened[0]!.args.channelId)
    expect(closed).toHaveLength(1)
    if (stepUnits === 100) expect(opened.length + topUps.length + closed.length).toBe(2)
  })
})
