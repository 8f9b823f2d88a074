/**
 * "Find my channels" against the devnet and the demo site: a reader pays on
 * a channel, Drip's records are wiped (a reset, a new browser), the same
 * account finds the channel on chain by its ChannelOpened log and batched
 * state, signs nothing more on it, and gets exactly deposit − settled back
 * through force close and withdraw.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { tempo } from 'mppx/client'
import { createClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import * as Clients from '@/lib/chain/clients'
import { findChannels, recoveredOrigin } from '@/lib/payments/channelRecovery'
import { type ChannelRecord, keyFor } from '@/lib/payments/channelRecords'
import { Addresses } from 'viem/tempo'
import { pathUsdAddress } from '@/devnet/index'
import * as Schema from '@/lib/storage/schema'
import { startDevnetAndDemo } from '../../support/demoSite'
import { readerScope } from '../../support/readerScope'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
beforeAll(async () => void (env = await startDevnetAndDemo()))
afterAll(() => env.stop())
beforeEach(() => fakeBrowser.reset())

const photo = () => `${env.demo.origin}/api/sessions/photo`

describe('finding the account’s channels on chain', () => {
  test('after the records are wiped: found with its deposit, force closed, exactly deposit − settled refunded', async () => {
    const snapshot = await env.devnet.snapshot()
    try {
      const reader = await readerScope(env.devnet, 2)
      await reader.approve(env.demo.origin, photo(), '1')
      for (let i = 0; i < 3; i++) expect((await reader.paidFetch(env.demo.origin, photo())).response.status).toBe(200)
      const [before] = await reader.views()
      // Another account's channel (paid with mppx's own client) is not this account's to find.
      const rpc = createClient({ chain: env.devnet.viemChain, transport: http(env.devnet.url) })
      const other = tempo.session.manager({ account: privateKeyToAccount(env.devnet.accounts[3]!.privateKey), maxDeposit: '1', client: rpc })
      expect((await other.fetch(photo())).status).toBe(200)
      expect(env.devnet.reserveEvents('ChannelOpened')).toHaveLength(2)

      // Reset: the account's storage is wiped and the worker drops its scope.
      await Schema.wipeAccount(reader.account.address)
      reader.forgetScope()
      expect(await reader.scope.records.all()).toEqual([])
      const client = await Clients.clientFor(env.devnet.viemChain.id)
      const found = await findChannels({ client, records: reader.scope.records }, reader.account.address, env.devnet.viemChain.id)
      expect(found.onChain).toBe(1)
      expect(found.recovered).toMatchObject([{ channelId: before!.channelId, deposit: '1000000', origin: recoveredOrigin(env.demo.recipient), resourceUrl: '', status: 'open' }])
      // Found twice is recorded once.
      expect((await findChannels({ client, records: reader.scope.records }, reader.account.address, env.devnet.viemChain.id)).recovered).toEqual([])

      // Drip signs nothing on a channel whose site it does not know: approved again, the site's next photo opens a new channel.
      await reader.approve(env.demo.origin, photo(), '1')
      expect((await reader.paidFetch(env.demo.origin, photo())).response.status).toBe(200)
      expect(env.devnet.reserveEvents('ChannelOpened')).toHaveLength(3)
      expect((await reader.scope.records.get(before!.channelId))!.cumulative).toBe(found.recovered[0]!.cumulative)
      const origin = found.recovered[0]!.origin
      await reader.scope.lifecycle.requestClose(origin, before!.channelId)
      await env.devnet.increaseTime(900)
      await env.devnet.mine()
      const [closing] = (await reader.views()).filter((view) => view.channelId === before!.channelId)
      const balance = await env.devnet.balance(reader.account.address)
      await reader.scope.lifecycle.withdraw(origin, before!.channelId)
      const refund = 1_000_000n - BigInt(closing!.settled)
      const [closed] = (await reader.views()).filter((view) => view.channelId === before!.channelId)
      expect(closed).toMatchObject({ status: 'closed', refunded: refund.toString() })
      const fee = [...env.devnet.chain.receipts.values()].at(-1)!.fee
      expect((await env.devnet.balance(reader.account.address)) - balance).toBe(refund - fee)
      console.info(`recovered channel: deposit $1, settled by the site ${closing!.settled}, refunded ${refund}`)
    } finally {
      await env.devnet.revert(snapshot)
    }
  })

  test('a lying RPC’s channel (a $1,000,000 deposit the chain does not have) is never listed while the network read now does not confirm it', async () => {
    const reader = await readerScope(env.devnet, 5)
    const payee = env.demo.recipient
    const planted: ChannelRecord = {
      channelId: `0x${'ab'.repeat(32)}`,
      origin: recoveredOrigin(payee),
      key: keyFor({ payee, token: pathUsdAddress, escrow: Addresses.tip20ChannelReserve, chainId: env.devnet.viemChain.id }),
      chainId: env.devnet.viemChain.id,
      escrow: Addresses.tip20ChannelReserve,
      descriptor: { payer: reader.account.address, payee, operator: payee, token: pathUsdAddress, salt: `0x${'00'.repeat(32)}`, authorizedSigner: reader.account.address, expiringNonceHash: `0x${'00'.repeat(32)}` } as ChannelRecord['descriptor'],
      deposit: '1000000000000',
      cumulative: '0',
      resourceUrl: '',
      openedAt: 0,
      status: 'open',
      recovered: true,
    }
    // What "Find my channels" records from a lying RPC's logs and states.
    await reader.scope.records.update(planted.channelId, () => planted)
    expect(await reader.views()).toEqual([])
  })
})
