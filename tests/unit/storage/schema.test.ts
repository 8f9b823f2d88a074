import { beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import * as Schema from '@/lib/storage/schema'

const account = '0x1000000000000000000000000000000000000001' as const
const other = '0x2000000000000000000000000000000000000002' as const

describe('storage schema', () => {
  beforeEach(() => fakeBrowser.reset())

  test('wipeAccount removes every item of that account, local and session, and nothing else', async () => {
    for (const of of [account, other]) {
      const items = Schema.accountItems(of)
      await items.approvals.setValue({ 'https://a.example': {} as never })
      await items.pending.setValue({ 'https://b.example': {} as never })
      await items.denied.setValue(['https://c.example'])
      await items.ledger.setValue([{ at: 1, origin: 'https://a.example', kind: 'approved' }])
      await items.channels.setValue({ '0xaa': {} as never })
    }
    await Schema.vault.setValue({ address: other } as never)
    await Schema.wipeAccount(account)
    // The bug this fixes: `session:denied:<account>` survived a reset.
    expect(await fakeBrowser.storage.session.get(null)).toEqual({ [`denied:${other}`]: ['https://c.example'] })
    expect(Object.keys(await fakeBrowser.storage.local.get(null)).sort()).toEqual(
      [`approvals:${other}`, `channels:${other}`, `ledger:${other}`, `pending:${other}`, 'vault'].sort(),
    )
  })

  test('a fresh install is stamped with the current version', async () => {
    await Schema.migrate()
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
    await Schema.migrate()
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
    expect(keys).toEqual([`channels:${account}`, 'schemaVersion', 'vault'])
    expect(await Schema.schemaVersion.getValue()).toBe(Schema.currentVersion)
  })

  test('2 → 3: an approval of one price and unit becomes a price per unit type', async () => {
    await fakeBrowser.storage.local.set({
      vault: { address: account },
      schemaVersion: 2,
      [`approvals:${account}`]: { 'http://127.0.0.1:3000': { origin: 'http://127.0.0.1:3000', price: '10000', unitType: 'photo', maxDeposit: '1000000' } },
    })
    await Schema.migrate()
    expect(await Schema.accountItems(account).approvals.getValue()).toEqual({
      'http://127.0.0.1:3000': { origin: 'http://127.0.0.1:3000', prices: { photo: '10000' }, maxDeposit: '1000000' },
    })
    expect(await Schema.schemaVersion.getValue()).toBe(3)
  })
})
