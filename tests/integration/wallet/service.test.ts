/**
 * The background end to end in Node: popup and content-script messages
 * through the real router and the real per-account scope, against the
 * devnet and the demo site. Every test starts from a fresh install.
 */
import { Receipt } from 'mppx'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { createBackground } from '@/lib/background/root'
import { listen } from '@/lib/background/router'
import * as Settings from '@/lib/chain/networkSettings'
import * as Schema from '@/lib/storage/schema'
import { autoLockAlarm, Wallet } from '@/lib/wallet/wallet'
import { startDevnetAndDemo } from '../../support/demoSite'
import { startDevnet } from '../../support/devnet'
import { wrapFetch } from '@/lib/page/bridge'
import { recordSiteReceipt } from '@/lib/payments/receipts'
import { call, pageSender, popupSender } from '../../support/extensionHarness'
import { inProcessHandOver } from '../../support/readerScope'

const password = 'correct horse battery'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
beforeAll(async () => void (env = await startDevnetAndDemo()))
afterAll(() => env.stop())

let stopListening: () => void
let background: ReturnType<typeof createBackground>['background']
beforeEach(async () => {
  fakeBrowser.reset()
  await Settings.setRpcUrl('localnet', env.devnet.url)
  const created = createBackground({ version: 'test', wallet: new Wallet({ iterations: 1_000 }) })
  background = created.background
  stopListening = listen(created.handlers)
})
afterEach(() => stopListening())

const photoUrl = (origin = env.demo.origin) => `${origin}/api/sessions/photo`

/** The popup's Approve: the terms shown in the pending request, and a max deposit typed in dollars. */
async function approve(origin: string, maxDepositDollars: string) {
  const pending = (await call(popupSender, 'approvals.pending')).find((p) => p.origin === origin)!
  const { amount, unitType, recipient, currency, chainId } = pending
  const maxDeposit = String(Math.round(Number(maxDepositDollars) * 1e6))
  return call(popupSender, 'approvals.approve', { origin, terms: { amount, unitType, recipient, currency, chainId }, maxDeposit })
}

type PageOutcome = { outcome: 'paid' } | { outcome: 'pending' | 'refused' | 'locked'; message: string }

/** The page's 402 with its challenge hidden, as CORS hides it from a page. */
async function fetchHidingChallenge(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init)
  if (response.status !== 402) return response
  const headers = new Headers(response.headers)
  headers.delete('www-authenticate')
  return new Response(response.body, { status: 402, headers })
}

/**
 * A page of `pageOrigin` fetching `url` (the page's own photo API unless
 * said) through the page-world wrapper and the hand-over, answered
 * in-process by this background's request server, as the page really pays.
 * A request for an unapproved site is not held (it would wait a minute):
 * the page gets the 402 at once, and the outcome says why. The answer is
 * read whole, as a page reads it, so the background's work on it (the kept
 * answer, `undelivered.ts`) is over before the test goes on; `read: false`
 * cancels it instead (a stream the test does not read).
 */
async function pageFetch(pageOrigin: string, options: { url?: string; hideChallenge?: boolean; read?: boolean } = {}) {
  const scope = await background.scope()
  if (!scope) throw new Error('No account: create one first.')
  let outcome: PageOutcome = { outcome: 'paid' }
  const handOver = inProcessHandOver(scope, pageOrigin, { waitMs: 0, onUnpaid: (kind, message) => (outcome = { outcome: kind, message }) })
  const answer = await wrapFetch(options.hideChallenge ? fetchHidingChallenge : globalThis.fetch, handOver)(options.url ?? photoUrl(pageOrigin))
  if (options.read === false) await answer.body?.cancel()
  const response = options.read === false ? answer : new Response(await answer.arrayBuffer(), { status: answer.status, headers: answer.headers })
  return { outcome: outcome as PageOutcome, response }
}

/** What a page of the demo site is told when it fetches `url` (a stream's answer is not read). */
async function pageOutcome(url: string): Promise<PageOutcome> {
  return (await pageFetch(env.demo.origin, { url, read: false })).outcome
}

/** A new reader: account, test funds, and optionally the demo site approved with a max deposit (dollars) and some photos paid. */
async function reader(options: { approved?: string; photos?: number } = {}) {
  await call(popupSender, 'wallet.create', { password })
  await call(popupSender, 'wallet.fund')
  if (options.approved) {
    await pageFetch(env.demo.origin)
    await approve(env.demo.origin, options.approved)
  }
  for (let i = 0; i < (options.photos ?? 0); i++) expect((await pageFetch(env.demo.origin)).response.status).toBe(200)
}

describe('Drip background', () => {
  test('a fresh install creates an account and funds it from the faucet', async () => {
    expect(await call(popupSender, 'wallet.status')).toEqual({ state: 'empty' })
    await expect(call(popupSender, 'wallet.create', { password: 'short' })).rejects.toThrow('at least 8 characters')
    const status = await call(popupSender, 'wallet.create', { password })
    expect(status.state).toBe('unlocked')
    await call(popupSender, 'wallet.fund')
    const overview = await call(popupSender, 'wallet.overview')
    expect(overview.balances).toEqual([{ token: '0x20c0000000000000000000000000000000000000', symbol: 'pathUSD', amount: '1000000000' }])
  })

  test('an unapproved site: the page keeps its 402, a pending request appears, content scripts cannot approve', async () => {
    await reader()
    const { outcome, response } = await pageFetch(env.demo.origin)
    expect(response.status).toBe(402)
    expect(outcome).toEqual({ outcome: 'pending', message: `${env.demo.origin} asks to be paid $0.01 per photo. Approve it in Drip's toolbar popup.` })
    const [pending] = await call(popupSender, 'approvals.pending')
    expect(pending).toMatchObject({ origin: env.demo.origin, amount: '10000', unitType: 'photo', suggestedMaxDeposit: '5000000', suggestedPerPaymentLimit: '100000' })
    await expect(
      call(pageSender(`${env.demo.origin}/gallery`), 'approvals.approve', { origin: env.demo.origin, terms: pending!, maxDeposit: '100000000' }),
    ).rejects.toThrow(`Refused "approvals.approve": only Drip's own pages may call it.`)
  })

  test('approve fails if the request changed since the reader saw it', async () => {
    await reader()
    await pageFetch(env.demo.origin)
    const [pending] = await call(popupSender, 'approvals.pending')
    const seen = { amount: '1000', unitType: 'photo', recipient: pending!.recipient, currency: pending!.currency, chainId: pending!.chainId }
    await expect(call(popupSender, 'approvals.approve', { origin: env.demo.origin, terms: seen, maxDeposit: '1000000' })).rejects.toThrow(
      'is not the one you saw',
    )
    expect(await call(popupSender, 'approvals.list')).toEqual([])
  })

  test('approved with max deposit 1: the page gets its 200; the channel shows deposit, spent and remaining', async () => {
    await reader()
    await pageFetch(env.demo.origin)
    const sites = await approve(env.demo.origin, '1')
    expect(sites).toMatchObject([{ origin: env.demo.origin, maxDeposit: '1000000', prices: [{ unitType: 'photo', price: '10000' }], spent: '0' }])
    expect(await call(popupSender, 'approvals.pending')).toEqual([])
    for (let i = 0; i < 5; i++) expect((await pageFetch(env.demo.origin)).response.status).toBe(200)
    const [channel] = await call(popupSender, 'channels.list')
    expect(channel).toMatchObject({ origin: env.demo.origin, deposit: '1000000', spent: '50000', remaining: '950000', status: 'open' })
    expect((await call(popupSender, 'approvals.list'))[0]!.spent).toBe('50000')
  })

  test('one approval pays another unit with no question and tells its price once; a payment above the limit asks, pre-filled with the site’s cap', async () => {
    await reader({ approved: '3' })
    const pay = pageOutcome
    // Approved for photos ($0.01 a payment): a word at $0.001 is paid with no new request, and told once in Activity.
    expect(await pay(`${env.demo.origin}/api/sessions/poem`)).toMatchObject({ outcome: 'paid' })
    expect(await pay(`${env.demo.origin}/api/sessions/poem`)).toMatchObject({ outcome: 'paid' })
    const prices = (await call(popupSender, 'ledger.list')).filter((e) => e.kind === 'price').map((e) => e.detail)
    expect(prices).toEqual([`${env.demo.origin} now also charges $0.001 per word, within your limit of $0.01 a payment.`])
    // A $0.05 purchase is above that limit: a request that says why, pre-filled with the site's $3 cap.
    expect(await pay(`${env.demo.origin}/api/charge/article/metered-reading`)).toMatchObject({ outcome: 'pending', message: expect.stringContaining('above your limit of $0.01') })
    const pending = (await call(popupSender, 'approvals.pending')).find((p) => p.unitType === 'one-time payment')!
    expect(pending).toMatchObject({ suggestedMaxDeposit: '3000000', reason: expect.stringContaining('above your limit') })
    // Approving it with a smaller figure typed keeps the cap, and raises the limit to what was typed.
    const [site] = await call(popupSender, 'approvals.approve', { origin: env.demo.origin, terms: pending, maxDeposit: '2500000', perPaymentLimit: pending.amount })
    expect(site).toMatchObject({ maxDeposit: '3000000', perPaymentLimit: pending.amount })
  })

  test.each([
    ['saw', true],
    ['had not seen', false],
  ] as const)('a site waiting for words whose gallery asks meanwhile: one Approve covers its photos too (the reader %s them)', async (_name, seen) => {
    await reader()
    const pay = pageOutcome
    expect(await pay(`${env.demo.origin}/api/sessions/poem`)).toMatchObject({ outcome: 'pending' })
    expect(await pay(photoUrl())).toMatchObject({ outcome: 'pending' })
    const [pending] = await call(popupSender, 'approvals.pending')
    expect(pending).toMatchObject({ unitType: 'word', also: [{ unitType: 'photo', amount: '10000' }] })
    const figures = { maxDeposit: '1000000', perPaymentLimit: '100000' }
    await call(popupSender, 'approvals.approve', { origin: env.demo.origin, terms: pending!, ...figures, ...(seen ? { also: pending!.also } : {}) })
    // Same payee, within the limit: the approval covers the photos whether or not the reader read that line.
    expect(await call(popupSender, 'approvals.pending')).toEqual([])
    expect(await pay(photoUrl())).toMatchObject({ outcome: 'paid' })
  })

  test('a new cap from the site list keeps the per-payment limit', async () => {
    await reader()
    await pageFetch(env.demo.origin)
    const [pending] = await call(popupSender, 'approvals.pending')
    expect(pending).toMatchObject({ suggestedMaxDeposit: '5000000', suggestedPerPaymentLimit: '100000' })
    const { amount, unitType, recipient, currency, chainId } = pending!
    await call(popupSender, 'approvals.approve', { origin: env.demo.origin, terms: { amount, unitType, recipient, currency, chainId }, maxDeposit: '1000000', perPaymentLimit: '20000' })
    const [site] = await call(popupSender, 'approvals.setMaxDeposit', { origin: env.demo.origin, maxDeposit: '3000000' })
    expect(site).toMatchObject({ maxDeposit: '3000000', perPaymentLimit: '20000' })
  })

  test('site receipts are recorded for the site’s own channel only', async () => {
    await reader({ approved: '1', photos: 5 })
    const receipts = (await call(popupSender, 'ledger.list')).filter((e) => e.kind === 'receipt')
    expect(receipts).toHaveLength(5)
    expect(receipts[0]!.detail).toBe('The site confirmed a payment on this channel (Drip has signed $0.05 on it).')
    // Pages cannot present receipts at all (Drip reads them from the site's answers). Even so, the same receipt
    // for another site is not that site's to record, nor is garbage.
    const receipt = (await pageFetch(env.demo.origin)).response.headers.get('payment-receipt')!
    const scope = (await background.scope())!
    const foreign = env.demo.origin.replace('127.0.0.1', 'localhost')
    expect(await recordSiteReceipt(scope, foreign, receipt)).toBe(false)
    expect(await recordSiteReceipt(scope, env.demo.origin, 'garbage')).toBe(false)
    // A receipt claiming more than Drip signed is the site's lie, not a figure for the ledger.
    const decoded = Receipt.deserialize(receipt) as Record<string, unknown>
    const lying = Receipt.serialize({ ...decoded, acceptedCumulative: '5000000' } as never)
    expect(await recordSiteReceipt(scope, env.demo.origin, lying)).toBe(false)
  })

  test('when CORS hides the challenge of the page’s own resource, the background fetches it itself', async () => {
    await reader({ approved: '1' })
    const { outcome, response } = await pageFetch(env.demo.origin, { hideChallenge: true })
    expect(outcome.outcome).toBe('paid')
    expect(response.status).toBe(200)
  })

  test('another origin can neither use the first site’s approval, nor approve itself, nor have Drip fetch for it', async () => {
    await reader({ approved: '1', photos: 1 })
    const other = env.demo.origin.replace('127.0.0.1', 'localhost')
    expect((await pageFetch(other)).outcome.outcome).toBe('pending')
    await expect(call(pageSender(`${other}/`), 'approvals.approve', { origin: other, terms: {} as never, maxDeposit: '1000000' })).rejects.toThrow('only Drip')
    // A page handing Drip another origin's URL (its challenge hidden), with no 402 the browser saw, gets a refusal
    // that names no status, and Drip fetches nothing.
    expect((await pageFetch(other, { url: photoUrl(), hideChallenge: true })).outcome).toEqual({
      outcome: 'refused',
      message: `Drip did not see ${env.demo.origin} answer ${other}'s request with a payment challenge, so it pays nothing there.`,
    })
    expect((await call(popupSender, 'channels.list')).map((c) => c.origin)).toEqual([env.demo.origin])
    await call(popupSender, 'approvals.deny', { origin: other })
    expect((await pageFetch(other)).outcome).toMatchObject({ outcome: 'refused', message: expect.stringContaining('You denied') })
  })

  test('revoke stops payments at once; lock makes payments wait', async () => {
    await reader({ approved: '1', photos: 1 })
    await call(popupSender, 'approvals.revoke', { origin: env.demo.origin })
    expect((await pageFetch(env.demo.origin)).outcome.outcome).toBe('pending')
    await approve(env.demo.origin, '1')
    await call(popupSender, 'wallet.lock')
    expect((await pageFetch(env.demo.origin)).outcome).toEqual({ outcome: 'locked', message: 'Drip is locked. Unlock it from the toolbar popup.' })
    await expect(call(popupSender, 'wallet.unlock', { password: 'wrong password' })).rejects.toThrow('Wrong password.')
    await call(popupSender, 'wallet.unlock', { password })
    expect((await pageFetch(env.demo.origin)).response.status).toBe(200)
  })

  test('Close refunds the unspent deposit on chain, and the activity shows every step', async () => {
    await reader({ approved: '1', photos: 3 })
    const [channel] = await call(popupSender, 'channels.list')
    const { address } = await call(popupSender, 'wallet.overview')
    const before = await env.devnet.balance(address)
    const closed = await call(popupSender, 'channels.close', { origin: channel!.origin, channelId: channel!.channelId })
    const refund = BigInt(channel!.deposit) - BigInt(channel!.spent)
    expect(refund).toBe(970_000n)
    expect(closed).toMatchObject({ status: 'closed', refunded: refund.toString() })
    expect((await env.devnet.balance(address)) - before).toBe(refund)
    const kinds = (await call(popupSender, 'ledger.list')).map((e) => e.kind)
    expect(kinds[0]).toBe('close')
    expect(kinds).toEqual(expect.arrayContaining(['open', 'voucher', 'approved']))
  })

  test('polling the popup never pushes auto-lock back; the reader’s own actions do', async () => {
    await reader({ approved: '1', photos: 1 })
    await fakeBrowser.alarms.clear(autoLockAlarm)
    for (let i = 0; i < 3; i++) {
      await call(popupSender, 'channels.list')
      await call(popupSender, 'approvals.pending')
      await call(popupSender, 'wallet.overview')
      await pageFetch(env.demo.origin)
    }
    expect(await fakeBrowser.alarms.get(autoLockAlarm)).toBeUndefined()
    await call(popupSender, 'settings.set', { signAhead: '2000' })
    expect(await fakeBrowser.alarms.get(autoLockAlarm)).toBeDefined()
  })

  test('reset wipes the account exactly, session denials included', async () => {
    await reader({ approved: '1', photos: 1 })
    const other = env.demo.origin.replace('127.0.0.1', 'localhost')
    await pageFetch(other)
    await call(popupSender, 'approvals.deny', { origin: other })
    const { address } = await call(popupSender, 'wallet.overview')
    expect(await Schema.accountItems(address).denied.getValue()).toEqual([other])
    await call(popupSender, 'wallet.reset', { confirmation: 'RESET' })
    expect(await fakeBrowser.storage.session.get(null)).toEqual({})
    const left = Object.keys(await fakeBrowser.storage.local.get(null))
    expect(left.filter((key) => key.includes(address.toLowerCase()))).toEqual([])
    expect(await call(popupSender, 'wallet.status')).toEqual({ state: 'empty' })
  })

  // Issue 14: a faucet request that arrives while a new RPC URL is being saved must use the new one.
  test.each(Array.from({ length: 5 }, (_, i) => i + 1))(
    'Get test funds clicked while a new RPC URL is being saved funds on the new RPC, never the old one (try %i)',
    async () => {
      const decoy = await startDevnet()
      try {
        await call(popupSender, 'network.setRpcUrl', { networkId: 'localnet', rpcUrl: decoy.url })
        const { address } = await call(popupSender, 'wallet.create', { password }).then(() => call(popupSender, 'wallet.overview'))
        // Save and click at once: both messages are in flight together, as from a quick reader.
        const [status, funded] = await Promise.all([
          call(popupSender, 'network.setRpcUrl', { networkId: 'localnet', rpcUrl: env.devnet.url }),
          call(popupSender, 'wallet.fund'),
        ])
        expect(status.rpcUrl).toBe(env.devnet.url)
        expect(funded).toMatchObject({ networkName: 'Localnet', rpcUrl: env.devnet.url })
        expect((await call(popupSender, 'wallet.overview')).balances[0]!.amount).toBe('1000000000')
        expect(await decoy.balance(address)).toBe(0n)
      } finally {
        await decoy.stop()
      }
    },
  )
})
