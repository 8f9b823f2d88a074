/**
 * A reader's real per-account scope (approvals, records, payer, lifecycle)
 * in Node with WXT's fake browser storage, holding one of the devnet's
 * funded accounts and pointed at the devnet's RPC URL.
 */
import { privateKeyToAccount } from 'viem/accounts'
import { wrapFetch } from '@/lib/page/bridge'
import { assembleResponse, type HandOver } from '@/lib/page/handOver'
import type { PaidUrls } from '@/lib/page/paidUrls'
import * as RequestServer from '@/lib/background/servers/requestServer'
import type * as Authorize from '@/lib/payments/authorize'
import { createAccountScope } from '@/lib/background/accountScope'
import * as Clients from '@/lib/chain/clients'
import * as NetworkSettings from '@/lib/chain/networkSettings'
import { channelViews } from '@/lib/payments/channelViews'
import * as Challenge from '@/lib/payments/challenge'
import * as Policy from '@/lib/payments/policy'
import * as Preferences from '@/lib/payments/preferences'
import { parseDollars } from '@/lib/shared/amounts'
import { withoutRedirects } from '@/lib/shared/http'
import { Wallet } from '@/lib/wallet/wallet'
import type { TestDevnet } from './devnet'
import { payForPage } from './pagePayment'

/**
 * `signAhead`: what streams sign beyond delivery. These tests count to the unit, so it is 0 unless a test asks
 * for the shipped default (`Schema.fallbackSignAhead`) or another amount.
 */
export async function readerScope(devnet: TestDevnet, accountIndex: number, { signAhead = 0n }: { signAhead?: bigint } = {}) {
  const account = privateKeyToAccount(devnet.accounts[accountIndex]!.privateKey)
  await NetworkSettings.setRpcUrl('localnet', devnet.url)
  await Preferences.setSignAhead(signAhead)
  const wallet = new Wallet({ iterations: 1_000 })
  await wallet.importKey(devnet.accounts[accountIndex]!.privateKey, 'correct horse battery')
  const newScope = () => createAccountScope(account.address, { wallet, fetch: withoutRedirects(globalThis.fetch), onPendingChanged: () => {} })
  let scope = newScope()
  async function grant<C extends Challenge.PaymentChallenge>(challenge: C, origin: string, maxDeposit: string) {
    const approval = Policy.approvalFor(challenge, origin, { maxDeposit: parseDollars(maxDeposit, 'Max deposit') }, await scope.approvals.get(origin))
    await scope.approvals.grant(approval)
    return { challenge, approval }
  }
  return {
    account,
    wallet,
    /** The account's scope as the worker holds it (one per account; its channel records are kept in memory). */
    get scope() {
      return scope
    },
    views: () => channelViews(scope.records, Clients.clientFor),
    /** The same account's scope as a restarted worker builds it: the same storage, nothing in memory. */
    restartedScope: newScope,
    /** What the background does after Reset or a restart: drops the scope, so the next use reads storage afresh. */
    forgetScope() {
      scope = newScope()
      return scope
    },
    /** Approves `origin` for the terms of the 402 at `url` (adding its unit to an approval of the same site), with a max deposit in dollars. */
    async approve(origin: string, url: string, maxDeposit: string) {
      return grant(Challenge.parse((await fetch(url)).headers.get('www-authenticate')), origin, maxDeposit)
    },
    /** Approves `origin`'s one-shot charges up to the amount of the 402 at `url`. */
    async approveCharge(origin: string, url: string, maxDeposit: string) {
      const challenge = Challenge.parseOffer((await fetch(url)).headers.get('www-authenticate'))
      if (challenge.intent !== 'charge') throw new Error(`${url} does not ask for a one-shot charge.`)
      return grant(challenge, origin, maxDeposit)
    },
    /**
     * The page world's `fetch` as Drip wraps it, with the background's side
     * run in-process: the hand-over goes straight to `RequestServer.answer`
     * instead of through window and runtime ports.
     */
    pageFetch(origin: string, hold?: Hold, context?: Authorize.PageContext, paidUrls?: PaidUrls): typeof fetch {
      return wrapFetch(globalThis.fetch, inProcessHandOver(scope, origin, hold, context), paidUrls)
    },
    /**
     * What the page-fetch wrapper and the background do together for one
     * request: 402, decide, pay, retry, report what the site answered (and
     * once more if the site still refuses).
     */
    async paidFetch(origin: string, url: string, on = scope) {
      let response = await fetch(url)
      let outcome: Awaited<ReturnType<typeof payForPage>> | undefined
      for (let attempt = 0; attempt < 2 && response.status === 402; attempt++) {
        outcome = await payForPage(on, origin, { url, method: 'GET', wwwAuthenticate: response.headers.get('www-authenticate') })
        if (outcome.outcome !== 'paid') return { response, outcome }
        response = await fetch(url, { headers: { authorization: outcome.authorization } })
        if (outcome.voucher) await on.payer.delivered(origin, outcome.voucher, response.status)
      }
      return { response, outcome }
    },
  }
}

/**
 * How long a request waits for the reader's approval (0: not at all), what the reader is told meanwhile, and
 * why Drip did not pay (the content script's notices).
 */
export type Hold = { waitMs?: number; onWaiting?: (message: string) => void; onUnpaid?: (outcome: 'pending' | 'refused' | 'locked', message: string) => void }

/** The hand-over of `lib/page/handOver.ts`, answered by the background's code in the same process. */
export function inProcessHandOver(scope: Parameters<typeof RequestServer.answer>[0], origin: string, hold: Hold = {}, context: Authorize.PageContext = {}): HandOver {
  return (request, signal) =>
    new Promise((resolve, reject) => {
      const controller = new AbortController()
      const response = assembleResponse(resolve, () => controller.abort(), reject)
      signal?.addEventListener('abort', () => {
        controller.abort()
        if (!response.settled) reject(signal.reason)
        else response.fail(signal.reason)
      })
      // As the content script does: a request held for the reader's approval is told to the reader, never to the page.
      const post = (report: Parameters<Parameters<typeof RequestServer.answer>[4]>[0]) => {
        if (report.type === 'waiting') return hold.onWaiting?.(report.message)
        if (report.type === 'unpaid') hold.onUnpaid?.(report.outcome, report.message)
        response.accept(report)
      }
      void RequestServer.answer(scope, origin, request, controller.signal, post, { ...context, credentials: request.credentials }, { waitMs: hold.waitMs }).catch(reject)
    })
}
