import { beforeEach, describe, expect, test, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { Approvals } from '@/lib/payments/approvals'
import { maxPending, maxPendingPerTab } from '@/lib/payments/pendingQueue'
import * as Challenge from '@/lib/payments/challenge'
import * as Policy from '@/lib/payments/policy'
import { Ledger, maxDetailLength, maxEntries, pruneEvery } from '@/lib/payments/ledger'
import * as Schema from '@/lib/storage/schema'
import { sessionChallengeHeader } from '../../support/challenges'

const items = () => Schema.accountItems('0x1000000000000000000000000000000000000001')
const photo = Challenge.parse(sessionChallengeHeader())

describe('hostile pages cannot fill storage', () => {
  beforeEach(() => fakeBrowser.reset())

  test(`at most ${maxPending} sites wait at once, ${maxPendingPerTab} from one tab; a waiting site still counts its 402s; the reader’s site always gets in`, async () => {
    const approvals = new Approvals(items())
    // Finding 11 of the first round: one tab hopping through origins queued 25 pending requests without a click.
    // Round two, finding 3: a tab hopping 10 origins filled the queue and the reader's site was refused.
    for (let i = 0; i < 25; i++) expect(await approvals.recordPending(photo, `https://hop${i}.example`, 7, 1_000 + i)).toBe('queued')
    expect((await approvals.pending(1_100)).map((p) => p.origin)).toEqual(['https://hop22.example', 'https://hop23.example', 'https://hop24.example'])
    expect(await approvals.recordPending(photo, 'https://reader.example', 1, 2_000)).toBe('queued')
    expect(await approvals.recordPending(photo, 'https://reader.example', 1, 2_001)).toBe('queued')
    expect((await approvals.pendingFor('https://reader.example', 2_001))?.count).toBe(2)
    for (let tab = 10; tab < 20; tab++) await approvals.recordPending(photo, `https://tab${tab}.example`, tab, 3_000 + tab)
    expect((await approvals.pending(3_100)).length).toBe(maxPending)
    expect(await approvals.recordPending(photo, 'https://wanted.example', 2, 4_000)).toBe('queued')
    expect(await approvals.pendingFor('https://wanted.example', 4_000)).toBeDefined()
    // Ten minutes after a site last asked, it no longer waits.
    expect(await approvals.pendingFor('https://wanted.example', 4_000 + 10 * 60_000)).toBeUndefined()
  })

  test('refusal texts are bounded and repeats fold into one line', async () => {
    const ledger = new Ledger('0x1000000000000000000000000000000000000001')
    // Finding 10: one refusal quoting page input could fill the 10 MiB quota.
    await ledger.append({ origin: 'https://a.example', kind: 'refused', detail: 'x'.repeat(5_000_000), at: 1_000 })
    for (let i = 0; i < 500; i++) await ledger.append({ origin: 'https://b.example', kind: 'refused', detail: 'same reason', at: 2_000 + i })
    const entries = await ledger.list()
    expect(entries).toHaveLength(2)
    expect(entries[0]).toMatchObject({ origin: 'https://b.example', repeats: 500 })
    expect(entries[1]!.detail!.length).toBe(maxDetailLength)
    expect(JSON.stringify(await ledger.list(10_000)).length).toBeLessThan(2_000)
  })

  test(`history keeps the newest lines (${maxEntries} in Drip, trimmed every ${pruneEvery} appends; 50 and 10 here), newest first`, async () => {
    const bounds = { maxEntries: 50, pruneEvery: 10 }
    const ledger = new Ledger('0x1000000000000000000000000000000000000001', bounds)
    const total = bounds.maxEntries + 2 * bounds.pruneEvery
    for (let i = 0; i < total; i++) await ledger.append({ origin: 'https://a.example', kind: 'voucher', cumulative: String(i), at: i })
    const lines = await ledger.list(10_000)
    expect(lines).toHaveLength(bounds.maxEntries)
    expect(lines[0]!.cumulative).toBe(String(total - 1))
    expect(lines.at(-1)!.cumulative).toBe(String(total - bounds.maxEntries))
    // Another account's history is its own.
    expect(await new Ledger('0x2000000000000000000000000000000000000002').list()).toEqual([])
  })
})

describe('history never slows money down', () => {
  test('a line is written once the task that appended it is over (after the paid request it describes has left); readers still get it', async () => {
    const ledger = new Ledger('0x1000000000000000000000000000000000000001')
    await ledger.list()
    const adds = vi.spyOn(IDBObjectStore.prototype, 'add')
    const appended = ledger.append({ origin: 'https://a.example', kind: 'voucher', cumulative: '1000' })
    // What the payer does next in the same task: microtasks (its awaits) until the credential's request is sent.
    for (let i = 0; i < 50; i++) await Promise.resolve()
    expect(adds).not.toHaveBeenCalled()
    expect(await ledger.list()).toMatchObject([{ cumulative: '1000' }])
    expect(adds).toHaveBeenCalledOnce()
    await appended
  })
})

describe('Deny and Ignore this site', () => {
  beforeEach(() => fakeBrowser.reset())
  const origin = 'https://nagging.example'

  test('Deny holds for the browser session; Ignore outlives it, until the reader stops ignoring the site or approves it', async () => {
    const approvals = new Approvals(items())
    await approvals.recordPending(photo, origin, 1)
    await approvals.deny(origin)
    expect(await approvals.recordPending(photo, origin, 1)).toBe('denied')
    // A browser restart empties session storage: a denied site asks again.
    await fakeBrowser.storage.session.clear()
    expect(await approvals.recordPending(photo, origin, 1)).toBe('queued')
    await approvals.deny(origin, { always: true })
    expect(await approvals.pending()).toEqual([])
    await fakeBrowser.storage.session.clear()
    expect(await approvals.recordPending(photo, origin, 1)).toBe('ignored')
    expect(await approvals.pending()).toEqual([])
    expect(await approvals.ignored()).toEqual([origin])
    await approvals.stopIgnoring(origin)
    expect(await approvals.recordPending(photo, origin, 1)).toBe('queued')
    await approvals.deny(origin, { always: true })
    await approvals.grant(Policy.approvalFor(photo, origin, { maxDeposit: 1_000_000n }))
    expect(await approvals.ignored()).toEqual([])
  })
})

describe('one-shot charges are counted in the approval', () => {
  beforeEach(() => fakeBrowser.reset())
  const origin = 'https://shop.example'

  test('a charge counted while the popup changed the cap is not lost by the grant', async () => {
    const approvals = new Approvals(items())
    await approvals.grant(Policy.approvalFor(photo, origin, { maxDeposit: 1_000_000n }))
    const readByPopup = (await approvals.get(origin))!
    const counted = await approvals.recordCharge(origin, 50_000n, (current) => current!)
    expect(counted.charged).toBe('50000')
    await approvals.grant(Policy.withMaxDeposit(readByPopup, 2_000_000n))
    expect(await approvals.get(origin)).toMatchObject({ maxDeposit: '2000000', charged: '50000' })
  })

  test('a check that throws records nothing', async () => {
    const approvals = new Approvals(items())
    await approvals.grant(Policy.approvalFor(photo, origin, { maxDeposit: 1_000_000n }))
    await expect(
      approvals.recordCharge(origin, 50_000n, () => {
        throw new Error('revoked meanwhile')
      }),
    ).rejects.toThrow('revoked meanwhile')
    expect((await approvals.get(origin))!.charged).toBeUndefined()
  })
})

describe('approvals kept in memory', () => {
  beforeEach(() => fakeBrowser.reset())
  const origin = 'https://a.example'
  const approval = () => Policy.approvalFor(photo, origin, { maxDeposit: 1_000_000n })

  test('storage is read once; a grant and a revoke are stored before they are kept', async () => {
    const accountItems = items()
    const approvals = new Approvals(accountItems)
    const reads = vi.spyOn(accountItems.approvals, 'getValue')
    await approvals.grant(approval())
    expect(await approvals.get(origin)).toMatchObject({ maxDeposit: '1000000' })
    expect(await new Approvals(items()).get(origin)).toMatchObject({ maxDeposit: '1000000' })
    expect(await approvals.revoke(origin)).toBe(true)
    expect(await approvals.get(origin)).toBeUndefined()
    expect(await new Approvals(items()).get(origin)).toBeUndefined()
    expect(reads).toHaveBeenCalledOnce()
  })

  test('a revoke whose write fails is not kept: the approval stays as stored, and the caller hears it failed', async () => {
    const accountItems = items()
    const approvals = new Approvals(accountItems)
    await approvals.grant(approval())
    vi.spyOn(accountItems.approvals, 'setValue').mockRejectedValueOnce(new Error('QUOTA_BYTES quota exceeded'))
    await expect(approvals.revoke(origin)).rejects.toThrow('QUOTA_BYTES')
    expect(await approvals.get(origin)).toMatchObject({ maxDeposit: '1000000' })
  })

  test('readers get copies: changing one changes nothing kept', async () => {
    const approvals = new Approvals(items())
    await approvals.grant(approval())
    const read = (await approvals.get(origin))!
    read.maxDeposit = '999999999'
    read.prices.photo = '1'
    ;(await approvals.list())[0]!.maxDeposit = '5'
    expect(await approvals.get(origin)).toMatchObject({ maxDeposit: '1000000', prices: { photo: '10000' } })
  })
})
