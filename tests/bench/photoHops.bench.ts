/**
 * `npm run bench:hops`: where a paid photo's time goes, hop by hop, in Node
 * with Drip's own lib/ code (the same payer, policy and storage as the
 * extension, on WXT's fake browser storage) against the demo site on the
 * devnet. Browser messaging (page → content script → worker) is not in
 * these figures; `npm run bench` measures the whole path in Chromium.
 * A benchmark: it prints numbers and asserts nothing.
 */
import { afterAll, beforeAll, bench, describe } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import * as Authorize from '@/lib/payments/authorize'
import * as Challenge from '@/lib/payments/challenge'
import { Ledger, maxEntries } from '@/lib/payments/ledger'
import { startDevnetAndDemo } from '../support/demoSite'
import { readerScope } from '../support/readerScope'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
let reader: Awaited<ReturnType<typeof readerScope>>
let challenge: Challenge.SessionChallenge
let header: string
let authorization: string
let fullLedger: Ledger
const photo = () => `${env.demo.origin}/api/sessions/photo`
const free = () => `${env.demo.origin}/api/free/photo`

beforeAll(async () => {
  fakeBrowser.reset()
  env = await startDevnetAndDemo()
  reader = await readerScope(env.devnet, 2)
  ;({ challenge } = await reader.approve(env.demo.origin, photo(), '50'))
  header = (await fetch(photo())).headers.get('www-authenticate')!
  // Opens the channel, so every figure below is for a warm channel.
  authorization = (await reader.scope.payer.pay(env.demo.origin, challenge, photo(), { forPage: true })).authorization
  await (await fetch(photo(), { headers: { authorization } })).arrayBuffer()
  // A second account's history filled to the ledger's bound, for the append figure.
  fullLedger = new Ledger('0x2000000000000000000000000000000000000002')
  for (let i = 0; i < maxEntries; i++) await fullLedger.append({ at: i, origin: 'https://filler.example', kind: 'voucher', cumulative: String(i), amount: '1000' })
}, 60_000)
afterAll(() => env.stop())

const options = { time: 2_000, warmupTime: 300 }

describe('one paid photo, hop by hop (warm channel)', () => {
  bench('unpaid twin: GET /api/free/photo', async () => void (await (await fetch(free())).arrayBuffer()), options)
  bench('the page’s first request: the site’s 402', async () => void (await (await fetch(photo())).arrayBuffer()), options)
  bench(
    'authorize: parse the challenge, policy, approval read',
    async () => void (await Authorize.authorize(reader.scope, env.demo.origin, { url: photo(), method: 'GET', wwwAuthenticate: header })),
    options,
  )
  bench(
    'payer.pay: checks, storage, sign one voucher, ledger line',
    async () => {
      const paid = await reader.scope.payer.pay(env.demo.origin, challenge, photo(), { forPage: true })
      authorization = paid.authorization
      await reader.scope.payer.delivered(env.demo.origin, paid, 200)
    },
    options,
  )
  bench('the paid request: the site verifies the voucher', async () => {
    const paid = await reader.scope.payer.pay(env.demo.origin, challenge, photo(), { forPage: true })
    const response = await fetch(photo(), { headers: { authorization: paid.authorization } })
    await response.arrayBuffer()
    await reader.scope.payer.delivered(env.demo.origin, paid, response.status)
  }, options)
  bench('ledger.append with 5,000 lines of history', async () => void (await fullLedger.append({ origin: 'https://filler.example', kind: 'voucher', amount: '1000' })), options)
  bench('the whole page fetch (402, hand-over, pay, paid request), no browser messaging', async () => void (await (await reader.pageFetch(env.demo.origin)(photo())).arrayBuffer()), options)
})
