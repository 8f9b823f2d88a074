import { beforeEach, describe, expect, test, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import type { Address } from 'viem'
import { pageHandlers } from '@/lib/background/handlers/page'
import { siteStanding, waitingCount } from '@/lib/background/siteStanding'
import { pendingExpiryMs } from '@/lib/payments/pendingQueue'
import type { Approval } from '@/lib/payments/policy'
import type { PendingRequest } from '@/lib/payments/waitingRequests'
import * as Schema from '@/lib/storage/schema'
import type { EncryptedKey } from '@/lib/wallet/vault'

const account = '0x1111111111111111111111111111111111111111' as Address
// The handler reads the clock itself: the fixtures are placed relative to it.
const now = Date.now()
const approved = 'https://approved.example'
const waiting = 'https://waiting.example'
const expired = 'https://expired.example'

function pendingAt(origin: string, lastSeenAt: number): PendingRequest {
  return { origin, lastSeenAt, firstSeenAt: lastSeenAt } as PendingRequest
}

beforeEach(async () => {
  fakeBrowser.reset()
  await Schema.vault.setValue({ address: account } as EncryptedKey)
  const items = Schema.accountItems(account)
  await items.approvals.setValue({ [approved]: { origin: approved } as Approval })
  await items.pending.setValue({ [waiting]: pendingAt(waiting, now - 1_000), [expired]: pendingAt(expired, now - pendingExpiryMs) })
})

describe('siteStanding: what a page may know of its site, read from storage without the payment code', () => {
  test.each([
    ['an approved site', approved, { approved: true, pays: true }],
    ['a site waiting for the reader', waiting, { approved: false, pays: true }],
    ['a site that stopped waiting (its request expired)', expired, { approved: false, pays: false }],
    ['a site Drip never heard of', 'https://other.example', { approved: false, pays: false }],
    ["a name of Object's own", 'constructor', { approved: false, pays: false }],
  ])('%s', async (_name, origin, standing) => {
    expect(await siteStanding(origin, now)).toEqual(standing)
  })

  test('the badge counts the sites still waiting', async () => {
    expect(await waitingCount(now)).toBe(1)
    expect(await waitingCount(now + pendingExpiryMs)).toBe(0)
  })

  test("another account's items are not this account's", async () => {
    await Schema.vault.setValue({ address: '0x2222222222222222222222222222222222222222' as Address } as EncryptedKey)
    expect(await siteStanding(approved, now)).toEqual({ approved: false, pays: false })
    expect(await waitingCount(now)).toBe(0)
  })

  test('read from storage once while nothing changes; an approval, a wait or another account stored afterwards is seen at once', async () => {
    expect(await siteStanding(approved, now)).toEqual({ approved: true, pays: true })
    const get = vi.spyOn(fakeBrowser.storage.local, 'get')
    for (let i = 0; i < 3; i++) expect(await siteStanding(approved, now)).toEqual({ approved: true, pays: true })
    expect(await siteStanding('https://other.example', now)).toEqual({ approved: false, pays: false })
    expect(get).not.toHaveBeenCalled()
    const items = Schema.accountItems(account)
    await items.approvals.setValue({})
    expect(await siteStanding(approved, now)).toEqual({ approved: false, pays: false })
    await items.pending.setValue({ [approved]: pendingAt(approved, now) })
    expect(await siteStanding(approved, now)).toEqual({ approved: false, pays: true })
    await Schema.vault.setValue(null)
    expect(await siteStanding(approved, now)).toEqual({ approved: false, pays: false })
  })

  test('before there is an account, no site pays', async () => {
    await Schema.vault.setValue(null)
    expect(await siteStanding(approved, now)).toEqual({ approved: false, pays: false })
    expect(await waitingCount(now)).toBe(0)
  })
})

describe("page.connect: a page's hello", () => {
  test.each([
    ['an approved site', approved, true],
    ['a site waiting for the reader', waiting, true],
    ['a site that stopped waiting', expired, false],
    ['a site that never asked for payment', 'https://other.example', false],
  ])('from %s: answered from storage, and the payment code loaded ahead only where the site pays', async (_name, origin, pays) => {
    const onPayingSite = vi.fn()
    const connect = pageHandlers({ version: '1.2.3' }, onPayingSite)['page.connect']
    const answer = await connect(undefined, { kind: 'page', origin, tabId: 1 })
    expect(answer).toEqual({ wallet: 'drip', version: '1.2.3', origin, approved: origin === approved, pays })
    expect(onPayingSite).toHaveBeenCalledTimes(pays ? 1 : 0)
  })
})
