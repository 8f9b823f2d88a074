/**
 * Dishonest paywalled servers against Drip's payment core: real mppx
 * challenges and credentials from the demo site, behind a proxy that lies
 * where a hostile server would. Each case holds a rule of the hostile-site
 * review: nothing is signed, sent or recorded beyond what the reader
 * approved and what the chain says.
 */
import { Challenge as MppxChallenge, Credential } from 'mppx'
import { tempo } from 'mppx/client'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import * as Clients from '@/lib/chain/clients'
import * as NetworkSettings from '@/lib/chain/networkSettings'
import * as Challenge from '@/lib/payments/challenge'
import * as Policy from '@/lib/payments/policy'
import { parseDollars } from '@/lib/shared/amounts'
import * as Schema from '@/lib/storage/schema'
import * as Driver from '@/lib/streams/driver'
import { startDevnetAndDemo } from '../../support/demoSite'
import { startFlakyRpc } from '../../support/flakyRpc'
import { startHostileProxy } from '../../support/hostileProxy'
import { readerScope } from '../../support/readerScope'
import { payForPage } from '../../support/pagePayment'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
let proxy: Awaited<ReturnType<typeof startHostileProxy>>
beforeAll(async () => {
  env = await startDevnetAndDemo({ suggestedDeposit: '1' })
  proxy = await startHostileProxy(env.demo.origin)
})
afterAll(async () => {
  await proxy.close()
  await env.stop()
})
beforeEach(() => {
  fakeBrowser.reset()
  proxy.set({})
})

const photo = () => `${proxy.origin}/api/sessions/photo`

/** A reader approved for the proxy's site with a $1 cap, who has paid `photos` photos. */
async function approvedReader(accountIndex: number, photos = 1) {
  const reader = await readerScope(env.devnet, accountIndex)
  await reader.approve(proxy.origin, photo(), '1')
  for (let i = 0; i < photos; i++) expect((await reader.paidFetch(proxy.origin, photo())).response.status).toBe(200)
  return reader
}

describe('dishonest servers', () => {
  test('a price raised mid-session is a new pending request, never a signature', async () => {
    const reader = await approvedReader(2)
    const [before] = await reader.scope.records.all()
    proxy.set({ price: '4500000' })
    const { response, outcome } = await reader.paidFetch(proxy.origin, photo())
    expect(response.status).toBe(402)
    expect(outcome).toMatchObject({ outcome: 'pending', message: expect.stringContaining('asks $4.50 for one photo, above your limit of $0.01 for a single payment') })
    expect((await reader.scope.records.all())[0]!.cumulative).toBe(before!.cumulative)
    expect(await reader.scope.approvals.pending()).toMatchObject([{ origin: proxy.origin, amount: '4500000' }])
  })

  test('a close answered 2xx that closed nothing leaves the channel open, with Force close', async () => {
    const reader = await approvedReader(3, 2)
    const [open] = await reader.views()
    proxy.set({ close: 'fake-2xx' })
    await expect(reader.scope.lifecycle.close(proxy.origin, open!.channelId)).rejects.toThrow('the channel is still open on chain')
    expect((await reader.views())[0]).toMatchObject({ channelId: open!.channelId, status: 'open', spent: '20000' })
    await reader.scope.lifecycle.requestClose(proxy.origin, open!.channelId)
    expect((await reader.views())[0]!.status).toBe('closing')
  })

  test('a close answered 500 keeps the channel record (mppx would have deleted it); a later honest close refunds exactly', async () => {
    const reader = await approvedReader(4, 3)
    const [open] = await reader.views()
    proxy.set({ close: 'fail-500' })
    await expect(reader.scope.lifecycle.close(proxy.origin, open!.channelId)).rejects.toThrow('did not close the channel (HTTP 500)')
    expect((await reader.views())[0]).toMatchObject({ status: 'open', spent: '30000', deposit: '1000000' })
    proxy.set({ close: 'forward' })
    const balance = await env.devnet.balance(reader.account.address)
    await reader.scope.lifecycle.close(proxy.origin, open!.channelId)
    expect((await reader.views())[0]).toMatchObject({ status: 'closed', refunded: '970000', settled: '30000' })
    expect((await env.devnet.balance(reader.account.address)) - balance).toBe(970_000n)
  })

  test('a paid URL that redirects to an intranet address is not followed', async () => {
    let intranetHits = 0
    const intranet = createServer((_req, res) => {
      intranetHits++
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"secret":"intranet"}')
    })
    await new Promise<void>((resolve) => intranet.listen(0, '127.0.0.1', resolve))
    try {
      const reader = await approvedReader(5, 0)
      const { challenge, approval } = await reader.approve(proxy.origin, photo(), '1')
      proxy.set({ redirectPaidTo: `http://127.0.0.1:${(intranet.address() as AddressInfo).port}/secret` })
      const shown: string[] = []
      const end = await Driver.run(
        { payer: reader.scope.payer, ledger: reader.scope.ledger, fetch: reader.scope.fetch },
        { origin: proxy.origin, url: photo(), challenge, approval, lookaheadUnits: 0, signal: new AbortController().signal },
        (update) => void (update.type === 'document' && shown.push(update.body)),
      )
      expect(end).toMatchObject({ type: 'end', reason: 'refused', message: expect.stringContaining('Drip does not follow redirects') })
      expect(shown).toEqual([])
      expect(intranetHits).toBe(0)
    } finally {
      intranet.close()
    }
  })

  test('a paid document larger than 1 MiB is cut off, not buffered', async () => {
    const reader = await approvedReader(6, 0)
    const { challenge, approval } = await reader.approve(proxy.origin, photo(), '1')
    proxy.set({ hugeBody: 3 * 1024 * 1024 })
    const end = await Driver.run(
      { payer: reader.scope.payer, ledger: reader.scope.ledger, fetch: reader.scope.fetch },
      { origin: proxy.origin, url: photo(), challenge, approval, lookaheadUnits: 0, signal: new AbortController().signal },
      () => {},
    )
    expect(end).toMatchObject({ reason: 'broken', message: expect.stringContaining('more than 1024 KiB') })
  })

  test('a paid answer whose few KiB of gzip decode past 32 MiB reaches the page in pieces of at most 64 KiB, then is cut off in Drip’s words', async () => {
    const reader = await approvedReader(8, 0)
    proxy.set({ gzipBody: 40 * 1024 * 1024 })
    const response = await reader.pageFetch(proxy.origin)(photo())
    expect(response.status).toBe(200)
    const body = response.body!.getReader()
    let largest = 0
    let total = 0
    const failure = await (async () => {
      try {
        for (;;) {
          const { done, value } = await body.read()
          if (done) return undefined
          largest = Math.max(largest, value.byteLength)
          total += value.byteLength
        }
      } catch (error) {
        return error as Error
      }
    })()
    expect(failure?.message).toBe("The site's answer is larger than 32 MiB, so Drip stopped reading it.")
    expect(largest).toBeLessThanOrEqual(64 * 1024)
    expect(total).toBeLessThanOrEqual(32 * 1024 * 1024)
  })

  test('a session snapshot in the challenge never gets the server’s cumulative signed', async () => {
    // A real channel with a $1 deposit and one $0.01 photo paid on it.
    const reader = await approvedReader(7, 1)
    const [record] = await reader.scope.records.all()
    const real = MppxChallenge.fromHeadersList(new Headers({ 'www-authenticate': (await fetch(photo())).headers.get('www-authenticate')! }))[0]!
    const snapshot = {
      channelId: record!.channelId,
      chainId: record!.chainId,
      escrow: record!.escrow,
      descriptor: record!.descriptor,
      deposit: record!.deposit,
      acceptedCumulative: record!.cumulative,
      requiredCumulative: '1000000',
      spent: record!.cumulative,
      settled: '0',
      units: 1,
    }
    const request = real.request as { methodDetails: Record<string, unknown> }
    const lying = MppxChallenge.from({ ...real, request: { ...request, methodDetails: { ...request.methodDetails, sessionSnapshot: snapshot } } } as never)
    // mppx on its own, with no record of the channel (a fresh install), signs the server's number.
    const mppxAlone = await tempo
      .session({ account: reader.account, maxDeposit: '1', getClient: ({ chainId }) => Clients.clientFor(chainId!) })
      .createCredential({ challenge: lying, context: undefined } as never)
    expect((Credential.deserialize(mppxAlone).payload as { cumulativeAmount: string }).cumulativeAmount).toBe('1000000')
    // Drip, after a reset and re-import (no channel records), refuses and signs nothing.
    await Schema.accountItems(reader.account.address).channels.removeValue()
    reader.forgetScope()
    const outcome = await payForPage(reader.scope, proxy.origin, {
      url: photo(),
      method: 'GET',
      wwwAuthenticate: MppxChallenge.serialize(lying),
    })
    expect(outcome).toEqual({ outcome: 'refused', message: expect.stringContaining('offered to resume a channel Drip has no record of') })
    expect(await reader.scope.records.all()).toEqual([])
    expect(Challenge.parse(MppxChallenge.serialize(lying)).hasSessionSnapshot).toBe(true)
  })
})

describe("another site's paid API: a page reads the paid answer only as CORS would let it read the site's own", () => {
  const page = 'http://reader-page.test'
  const allowPage = { 'access-control-allow-origin': page }

  /** A reader whose approval of `page` covers the proxy's API, and the page's fetch in a tab whose 402 the browser saw. */
  async function crossOriginReader(accountIndex: number) {
    const reader = await readerScope(env.devnet, accountIndex)
    const first = await fetch(photo())
    const challenge = Challenge.parse(first.headers.get('www-authenticate'))
    await reader.scope.approvals.grant(Policy.approvalFor({ ...challenge, resourceOrigin: proxy.origin }, page, { maxDeposit: parseDollars('1', 'Max deposit') }))
    const seen = async (tabId: number, url: string) => {
      const headers = proxy.seenChallenge()
      return { tabId, url, wwwAuthenticate: headers.get('www-authenticate')!, allowOrigin: headers.get('access-control-allow-origin') ?? undefined, allowCredentials: headers.get('access-control-allow-credentials') === 'true', at: Date.now() }
    }
    return { reader, pageFetch: reader.pageFetch(page, {}, { tabId: 7, observed: seen }) }
  }

  test.each([
    ['no CORS on the paid answer (the finding): the request fails, the body never reaches the page', {}, 'same-origin', 'fails'],
    ['the page named: the body and only the exposed headers', allowPage, 'same-origin', 'reads'],
    ['an API that echoes Origin: it got the page’s, so the page reads', 'reflect', 'same-origin', 'reads'],
    ['* without credentials: reads', { 'access-control-allow-origin': '*' }, 'omit', 'reads'],
    ['* with credentials: fails', { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' }, 'include', 'fails'],
    ['the page named, credentials, no Allow-Credentials: fails', allowPage, 'include', 'fails'],
    ['the page named, credentials and Allow-Credentials: reads', { ...allowPage, 'access-control-allow-credentials': 'true' }, 'include', 'reads'],
  ] as const)('%s', async (_name, paid, credentials, expected) => {
    const { pageFetch } = await crossOriginReader(9)
    proxy.set({ cors: { challenge: { ...allowPage, 'access-control-allow-credentials': 'true' }, paid } })
    const before = proxy.seen.length
    const answer = pageFetch(photo(), { credentials }).then(async (response) => ({ status: response.status, body: await response.json(), receipt: response.headers.get('payment-receipt') }))
    if (expected === 'fails') await expect(answer).rejects.toThrow(new TypeError('Failed to fetch'))
    else expect(await answer).toMatchObject({ status: 200, body: { url: expect.stringContaining('/photos/') }, receipt: null })
    // The paid request carried the page's Origin, not Drip's: the site's CORS answered the page.
    const paidRequests = proxy.seen.slice(before).filter((request) => request.action !== undefined)
    expect(paidRequests.map((request) => request.origin)).toEqual([page])
  })
})

describe('faults', () => {
  let rpc: Awaited<ReturnType<typeof startFlakyRpc>>
  beforeAll(async () => void (rpc = await startFlakyRpc(env.devnet.url)))
  afterAll(() => rpc.close())
  /** A reader whose Drip reads the chain through the flaky RPC (the site keeps its own). */
  async function flakyReader(accountIndex: number) {
    const reader = await readerScope(env.devnet, accountIndex)
    await NetworkSettings.setRpcUrl('localnet', rpc.url)
    rpc.setDown(false)
    return reader
  }

  test('RPC down during the open: nothing is signed or recorded; once it is back, one open', async () => {
    const reader = await flakyReader(8)
    await reader.approve(proxy.origin, photo(), '1')
    rpc.setDown(true)
    const { response, outcome } = await reader.paidFetch(proxy.origin, photo())
    expect(response.status).toBe(402)
    expect(outcome?.outcome).toBe('refused')
    expect(await reader.scope.records.all()).toEqual([])
    rpc.setDown(false)
    const start = env.devnet.chain.latest.number
    expect((await reader.paidFetch(proxy.origin, photo())).response.status).toBe(200)
    expect(env.devnet.reserveEvents('ChannelOpened', start)).toHaveLength(1)
    expect((await reader.scope.records.all())[0]!.cumulative).toBe('10000')
  })

  test('RPC down while the site closes: the channel stays listed; the next Close finds it closed on chain', async () => {
    const reader = await flakyReader(9)
    await reader.approve(proxy.origin, photo(), '1')
    for (let i = 0; i < 2; i++) await reader.paidFetch(proxy.origin, photo())
    const [open] = await reader.scope.records.all()
    proxy.set({ beforeClose: async () => rpc.setDown(true) })
    await expect(reader.scope.lifecycle.close(proxy.origin, open!.channelId)).rejects.toThrow()
    expect((await reader.scope.records.all())[0]!.status).toBe('open')
    expect(env.devnet.chain.state.channels.has(open!.channelId.toLowerCase() as never)).toBe(false)
    proxy.set({})
    rpc.setDown(false)
    await reader.scope.lifecycle.close(proxy.origin, open!.channelId)
    expect((await reader.views())[0]).toMatchObject({ status: 'closed' })
  })

  test('storage full: no credential leaves without its cumulative recorded; once there is room, the count goes on exactly', async () => {
    const reader = await flakyReader(2)
    await reader.approve(proxy.origin, photo(), '1')
    for (let i = 0; i < 2; i++) await reader.paidFetch(proxy.origin, photo())
    const full = vi.spyOn(fakeBrowser.storage.local, 'set').mockRejectedValue(new Error('QUOTA_BYTES quota exceeded'))
    try {
      const { response, outcome } = await reader.paidFetch(proxy.origin, photo())
      expect(response.status).toBe(402)
      expect(outcome?.outcome).toBe('refused')
    } finally {
      full.mockRestore()
    }
    expect((await reader.scope.records.all())[0]!.cumulative).toBe('20000')
    expect((await reader.paidFetch(proxy.origin, photo())).response.status).toBe(200)
    expect((await reader.scope.records.all())[0]!.cumulative).toBe('30000')
  })
})
