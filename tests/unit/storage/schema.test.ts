import { beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { Ledger } from '@/lib/payments/ledger'
import * as Migrations from '@/lib/storage/migrations'
import * as Schema from '@/lib/storage/schema'

const account = '0x1000000000000000000000000000000000000001' as const
const other = '0x2000000000000000000000000000000000000002' as const

describe('storage schema', () => {
  beforeEach(() => fakeBrowser.reset())

  test('wipeAccount removes every item of that account, local and session, and its history, and nothing else', async () => {
    for (const of of [account, other]) {
      const items = Schema.accountItems(of)
      await items.approvals.setValue({ 'https://a.example': {} as never })
      await items.pending.setValue({ 'https://b.example': {} as never })
      await items.denied.setValue(['https://c.example'])
      await new Ledger(of).append({ at: 1, origin: 'https://a.example', kind: 'approved' })
      await items.channels.setRecord('0xAA', {} as never, [])
    }
    await Schema.vault.setValue({ address: other } as never)
    await Schema.wipeAccount(account)
    // The bug this fixes: `session:denied:<account>` survived a reset.
    expect(await fakeBrowser.storage.session.get(null)).toEqual({ [`denied:${other}`]: ['https://c.example'] })
    expect(Object.keys(await fakeBrowser.storage.local.get(null)).sort()).toEqual(
      [`approvals:${other}`, `channel:${other}:0xaa`, `channelIds:${other}`, `pending:${other}`, 'vault'].sort(),
    )
    expect(await new Ledger(account).list()).toEqual([])
    expect(await new Ledger(other).list()).toEqual([{ at: 1, origin: 'https://a.example', kind: 'approved' }])
  })

  test('a fresh install is stamped with the current version', async () => {
    await Migrations.migrate()
    expect(await Schema.schemaVersion.getValue()).toBe(Schema.currentVersion)
  })

  test('1 → 2: mppx channel entries and channel notes become one record per channel', async () => {
    const channelId = `0x${'ab'.repeat(32)}`
    await fakeBrowser.storage.local.set({
      vault: { address: account },
      [`channels:${account}:${encodeURIComponent('http://127.0.0.1:3000')}:somekey`]: JSON.stringify({
        channelId,
        cumulativeAmount: '30000',
        deposit: '1000000',
        descriptor: { payee: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' },
        escrow: '0x4d50500000000000000000000000000000000000',
        chainId: 1337,
        opened: true,
      }),
      [`channelMeta:${account}`]: { [channelId]: { origin: 'http://127.0.0.1:3000', resourceUrl: 'http://127.0.0.1:3000/api/sessions/photo', openedAt: 5 } },
    })
    await Migrations.migrate()
    expect(await Schema.accountItems(account).channels.getValue()).toEqual({
      [channelId]: expect.objectContaining({
        channelId,
        origin: 'http://127.0.0.1:3000',
        key: 'somekey',
        cumulative: '30000',
        deposit: '1000000',
        resourceUrl: 'http://127.0.0.1:3000/api/sessions/photo',
        openedAt: 5,
        status: 'open',
      }),
    })
    const keys = Object.keys(await fakeBrowser.storage.local.get(null)).sort()
    expect(keys).toEqual([`channel:${account}:${channelId}`, `channelIds:${account}`, 'schemaVersion', 'vault'])
    expect(await Schema.schemaVersion.getValue()).toBe(Schema.currentVersion)
  })

  test('2 → 3: an approval of one price and unit becomes a price per unit type', async () => {
    await fakeBrowser.storage.local.set({
      vault: { address: account },
      schemaVersion: 2,
      [`approvals:${account}`]: { 'http://127.0.0.1:3000': { origin: 'http://127.0.0.1:3000', price: '10000', unitType: 'photo', maxDeposit: '1000000' } },
    })
    await Migrations.migrate()
    expect(await Schema.accountItems(account).approvals.getValue()).toEqual({
      'http://127.0.0.1:3000': { origin: 'http://127.0.0.1:3000', prices: { photo: '10000' }, maxDeposit: '1000000', perPaymentLimit: '10000' },
    })
    expect(await Schema.schemaVersion.getValue()).toBe(Schema.currentVersion)
  })

  test('3 → 4: each account’s history list moves to IndexedDB, newest first as before, and leaves storage.local', async () => {
    const lines = (of: string) => [
      { at: 3, origin: `https://${of.slice(2, 6)}.example`, kind: 'voucher', amount: '1000' },
      { at: 2, origin: `https://${of.slice(2, 6)}.example`, kind: 'open', amount: '100000' },
      { at: 1, origin: `https://${of.slice(2, 6)}.example`, kind: 'approved' },
    ]
    await fakeBrowser.storage.local.set({ vault: { address: account }, schemaVersion: 3, [`ledger:${account}`]: lines(account), [`ledger:${other}`]: lines(other) })
    await Migrations.migrate()
    expect(await new Ledger(account).list()).toEqual(lines(account))
    expect(await new Ledger(other).list()).toEqual(lines(other))
    expect(Object.keys(await fakeBrowser.storage.local.get(null)).sort()).toEqual(['schemaVersion', 'vault'])
    expect(await Schema.schemaVersion.getValue()).toBe(Schema.currentVersion)
  })

  test.each([
    // prices approved, price ceiling → per-payment limit
    [{ photo: '10000' }, undefined, '10000'],
    [{ photo: '10000', word: '1000', 'one-time payment': '50000' }, undefined, '50000'],
    [{ photo: '10000' }, '20000', '10000'],
    // A ceiling below a one-time payment's amount (ceilings were for metered units) stays the reader's word.
    [{ word: '1000', 'one-time payment': '50000' }, '20000', '20000'],
    [{}, undefined, '0'],
  ])('4 → 5 on data: prices %j, ceiling %s → limit %s', (prices, priceCeiling, limit) => {
    const old = { origin: 'http://127.0.0.1:3000', prices, maxDeposit: '1000000', priceCeiling } as never
    expect(Migrations.approvalV5(old)).toEqual({ origin: 'http://127.0.0.1:3000', prices, maxDeposit: '1000000', perPaymentLimit: limit })
    expect(Migrations.approvalV5(Migrations.approvalV5(old))).toEqual(Migrations.approvalV5(old))
  })

  test('4 → 5 in storage: every account’s approvals get a per-payment limit; the version is stamped', async () => {
    await fakeBrowser.storage.local.set({
      vault: { address: account },
      schemaVersion: 4,
      [`approvals:${account}`]: { 'http://127.0.0.1:3000': { origin: 'http://127.0.0.1:3000', prices: { photo: '10000', word: '1000' }, maxDeposit: '1000000', priceCeiling: '20000' } },
    })
    await Migrations.migrate()
    expect(await Schema.accountItems(account).approvals.getValue()).toEqual({
      'http://127.0.0.1:3000': { origin: 'http://127.0.0.1:3000', prices: { photo: '10000', word: '1000' }, maxDeposit: '1000000', perPaymentLimit: '10000' },
    })
    expect(await Schema.schemaVersion.getValue()).toBe(Schema.currentVersion)
  })

  test.each([
    // stored units ahead → sign-ahead amount (undefined: the new default holds)
    [undefined, undefined],
    [0, '0'],
    [10, '10000'],
    [100, '100000'],
    [5_000, '1000000'],
    ['100', undefined],
    [-3, undefined],
  ])('5 → 6 on data: %j units ahead → %s', (units, amount) => {
    expect(Migrations.signAheadV6(units)).toBe(amount)
  })

  test('every migration on data: a store in, what to write and remove out, nothing touched', () => {
    const approvals = `approvals:${account}`
    const store = {
      [approvals]: { 'https://a.example': { origin: 'https://a.example', price: '1000', unitType: 'word', maxDeposit: '1000000' } },
      [`approvals:${account}:not-an-account-key`]: { ignored: true },
      [`ledger:${account}`]: [{ origin: 'https://a.example', kind: 'voucher', at: 2 }, { origin: 'https://a.example', kind: 'opened', at: 1 }],
      'settings.streamLookahead': 20,
    }
    const frozen = structuredClone(store)
    const v3 = Migrations.pricesPerUnitV3(store)
    expect(v3).toEqual({ set: { [approvals]: { 'https://a.example': { origin: 'https://a.example', prices: { word: '1000' }, maxDeposit: '1000000' } } }, remove: [] })
    expect(Migrations.historyListsV3(store)).toEqual([{ key: `ledger:${account}`, account, entries: store[`ledger:${account}`] }])
    expect(Migrations.perPaymentLimitsV5(v3.set)).toEqual({
      set: { [approvals]: { 'https://a.example': { origin: 'https://a.example', prices: { word: '1000' }, maxDeposit: '1000000', perPaymentLimit: '1000' } } },
      remove: [],
    })
    expect(Migrations.signAheadInMoneyV6(store)).toEqual({ set: { 'settings.signAhead': '20000' }, remove: ['settings.streamLookahead'] })
    expect(Migrations.signAheadInMoneyV6({})).toEqual({ set: {}, remove: ['settings.streamLookahead'] })
    expect(Migrations.channelRecordsV2(store)).toEqual({ set: {}, remove: [] })
    expect(Migrations.channelPerItemV7(store)).toEqual({ set: {}, remove: [] })
    const channels = { [`channels:${account}`]: { '0xaa': { channelId: '0xAA', cumulative: '1' }, '0xbb': { channelId: '0xbb', cumulative: '2' } }, [`channels:${account}:old-layout`]: 'ignored' }
    const frozenChannels = structuredClone(channels)
    expect(Migrations.channelPerItemV7(channels)).toEqual({
      set: {
        [`channel:${account}:0xaa`]: { channelId: '0xAA', cumulative: '1' },
        [`channel:${account}:0xbb`]: { channelId: '0xbb', cumulative: '2' },
        [`channelIds:${account}`]: ['0xaa', '0xbb'],
      },
      remove: [`channels:${account}`],
    })
    expect(channels).toEqual(frozenChannels)
    expect(store).toEqual(frozen)
  })

  test('5 → 6 in storage: a reader’s 100 units ahead become $0.10; the old key goes; with nothing stored the default $0.01 holds', async () => {
    await fakeBrowser.storage.local.set({ vault: { address: account }, schemaVersion: 5, 'settings.streamLookahead': 100 })
    await Migrations.migrate()
    expect(await Schema.signAhead.getValue()).toBe('100000')
    expect(await fakeBrowser.storage.local.get('settings.streamLookahead')).toEqual({})
    expect(await Schema.schemaVersion.getValue()).toBe(Schema.currentVersion)
    fakeBrowser.reset()
    await fakeBrowser.storage.local.set({ vault: { address: account }, schemaVersion: 5 })
    await Migrations.migrate()
    expect(await Schema.signAhead.getValue()).toBe(Schema.fallbackSignAhead.toString())
  })

  test('6 → 7 in storage: every account’s channels, one item each; a restarted worker reads them all and changes one alone', async () => {
    const record = (id: string, cumulative: string) => ({ channelId: id, origin: 'https://a.example', status: 'open', cumulative, deposit: '1000000' })
    const ids = [`0x${'aa'.repeat(32)}`, `0x${'bb'.repeat(32)}`]
    await fakeBrowser.storage.local.set({
      vault: { address: account },
      schemaVersion: 6,
      [`channels:${account}`]: { [ids[0]!]: record(ids[0]!, '10'), [ids[1]!]: record(ids[1]!, '20') },
      [`channels:${other}`]: { [ids[0]!]: record(ids[0]!, '30') },
    })
    await Migrations.migrate()
    expect(await Schema.accountItems(account).channels.getValue()).toEqual({ [ids[0]!]: record(ids[0]!, '10'), [ids[1]!]: record(ids[1]!, '20') })
    expect(await Schema.accountItems(other).channels.getValue()).toEqual({ [ids[0]!]: record(ids[0]!, '30') })
    expect(await fakeBrowser.storage.local.get([`channels:${account}`, `channels:${other}`])).toEqual({})
    expect(await Schema.schemaVersion.getValue()).toBe(7)
  })
})
