/**
 * One-shot `charge` payments (mppx `tempo.charge`) through a page's own
 * `fetch` as Drip wraps it, against the demo's "buy this article" route on
 * the devnet: paid once within the site's cap (which its channel shares),
 * a pending request that says "one-time payment" when unapproved, and no
 * money moved past the cap.
 */
import type { Hex } from 'viem'
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { findArticle } from '@/demo/content'
import { startDevnetAndDemo } from '../../support/demoSite'
import { readerScope } from '../../support/readerScope'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
beforeAll(async () => void (env = await startDevnetAndDemo()))
afterAll(() => env.stop())
beforeEach(() => fakeBrowser.reset())

const articleUrl = () => `${env.demo.origin}/api/charge/article/metered-reading`
const photoUrl = () => `${env.demo.origin}/api/sessions/photo`
/** What one-shot charges moved on chain from `reader` to the demo site (settlements of channels are not among them). */
const chargedOnChain = (reader: { account: { address: string } }) =>
  env.devnet
    .memoTransfers(env.demo.recipient)
    .filter((t) => t.from.toLowerCase() === reader.account.address.toLowerCase())
    .map((t) => t.amount)

describe('one-shot charges', () => {
  test('an approved purchase is paid once: the article, $0.05 to the site on chain, counted in the approval and the history', async () => {
    const reader = await readerScope(env.devnet, 2)
    await reader.approveCharge(env.demo.origin, articleUrl(), '1')
    const response = await reader.pageFetch(env.demo.origin)(articleUrl())
    expect(response.status).toBe(200)
    expect((await response.json()).text).toBe(findArticle('metered-reading')!.words.join(' '))
    expect(chargedOnChain(reader)).toEqual([50_000n])
    expect((await reader.scope.approvals.get(env.demo.origin))!.charged).toBe('50000')
    const [entry] = (await reader.scope.ledger.list()).filter((e) => e.kind === 'charge')
    expect(entry).toMatchObject({ origin: env.demo.origin, amount: '50000', detail: 'One-time payment: One article, to keep' })
    const receipt = await env.devnet.client(0).getTransactionReceipt({ hash: entry!.txHash as Hex })
    expect(receipt.status).toBe('success')
  })

  test('unapproved: the purchase waits; approved, the page gets the article for one $0.05 payment', async () => {
    const reader = await readerScope(env.devnet, 5)
    const responding = reader.pageFetch(env.demo.origin)(articleUrl())
    await vi.waitFor(() => expect(reader.scope.approvals.waits.held(env.demo.origin)).toBe(1))
    expect(chargedOnChain(reader)).toEqual([])
    await reader.approveCharge(env.demo.origin, articleUrl(), '1')
    const response = await responding
    expect(response.status).toBe(200)
    expect(chargedOnChain(reader)).toHaveLength(1)
  })

  test('unapproved and not answered within the wait: the page gets the 402, the popup a pending one-time payment of $0.05; nothing moves', async () => {
    const reader = await readerScope(env.devnet, 3)
    const response = await reader.pageFetch(env.demo.origin, { waitMs: 50 })(articleUrl())
    expect(response.status).toBe(402)
    expect(await reader.scope.approvals.pending()).toMatchObject([{ origin: env.demo.origin, unitType: 'one-time payment', amount: '50000' }])
    expect(chargedOnChain(reader)).toEqual([])
  })

  test('one cap covers charges and the channel: $0.07 buys one article and two photos, then both are refused with nothing moved', async () => {
    const reader = await readerScope(env.devnet, 4)
    await reader.approveCharge(env.demo.origin, articleUrl(), '0.07')
    const { challenge } = await reader.approve(env.demo.origin, photoUrl(), '0.07')
    const fetchPaid = reader.pageFetch(env.demo.origin)
    expect((await fetchPaid(articleUrl())).status).toBe(200)
    expect((await fetchPaid(photoUrl())).status).toBe(200)
    expect((await fetchPaid(photoUrl())).status).toBe(200)
    const photo = await fetchPaid(photoUrl())
    expect(photo.status).toBe(402)
    const again = await fetchPaid(articleUrl())
    expect(again.status).toBe(402)
    expect(chargedOnChain(reader)).toEqual([50_000n])
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(20_000n)
    expect((await reader.scope.approvals.get(env.demo.origin))!.charged).toBe('50000')
  })
})
