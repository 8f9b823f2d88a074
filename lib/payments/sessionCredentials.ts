/**
 * Building and sending session credentials, apart from the rules that decide
 * them (`payer.ts`, `channelDeposits.ts`, `lifecycle.ts`): every session
 * credential (open, voucher, top-up, close) is built by `sessionCredential`,
 * through mppx's Tempo session method as Drip configures it; the management
 * POST; and the check that a credential carries the cumulative Drip counted.
 */
import { Credential } from 'mppx'
import { tempo } from 'mppx/client'
import type { Client, LocalAccount } from 'viem'
import { type RawAmount, toDollars } from '@/lib/shared/amounts'
import * as Challenge from './challenge'
import type { ChannelRecords, StoreOptions } from './channelRecords'
import * as Policy from './policy'

/**
 * POSTs a management credential (voucher, top-up, close) to the resource
 * URL. Servers may scope challenges to the request method, so a 402 answer
 * carries the challenge for POST: if it names the same terms, sign again for
 * it and retry once.
 */
export async function postManagement(
  fetch: typeof globalThis.fetch,
  url: string,
  challenge: Challenge.SessionChallenge,
  sign: (challenge: Challenge.SessionChallenge) => Promise<string>,
): Promise<Response> {
  const post = async (current: Challenge.SessionChallenge) => fetch(url, { method: 'POST', headers: { authorization: await sign(current) } })
  const response = await post(challenge)
  if (response.status !== 402) return response
  await response.body?.cancel()
  const again = Challenge.parse(response.headers.get('www-authenticate'))
  Policy.assertSameSession(again, challenge, new URL(url).origin)
  return post(again)
}

/** mppx's Tempo session method: Drip always gives it the approval as `maxDeposit` and its own channel records. */
function sessionMethod(
  account: LocalAccount,
  deps: { getClient: (chainId: number) => Client | Promise<Client> },
  approval: Pick<Policy.Approval, 'maxDeposit'>,
  channelStore: ReturnType<ChannelRecords['mppxStoreFor']>,
) {
  return tempo.session({
    account,
    maxDeposit: toDollars(approval.maxDeposit),
    channelStore,
    getClient: ({ chainId }) => deps.getClient(chainId!),
  })
}

/** The context mppx's session method takes for an explicit action (open, voucher, top-up, close). */
export type SessionContext = Record<string, unknown>

/**
 * One session credential for a site, through mppx's method with the
 * approval as its lifetime cap. `storeOptions` say how the channel mppx
 * records for it is stored (`ChannelRecords.mppxStoreFor`).
 */
export function sessionCredential(
  deps: { getClient: (chainId: number) => Client | Promise<Client>; records: ChannelRecords },
  account: LocalAccount,
  site: { origin: string; resourceUrl: string; approval: Pick<Policy.Approval, 'maxDeposit'> },
  challenge: Challenge.SessionChallenge,
  context: SessionContext,
  storeOptions?: StoreOptions,
): Promise<string> {
  const method = sessionMethod(account, deps, site.approval, deps.records.mppxStoreFor(site.origin, site.resourceUrl, storeOptions))
  return method.createCredential({ challenge: challenge.challenge, context } as never)
}

/** Drip never releases a credential whose cumulative it did not compute itself. */
export function assertCumulative(authorization: string, expected: RawAmount) {
  const payload = Credential.deserialize(authorization).payload as { cumulativeAmount?: unknown }
  if (payload.cumulativeAmount === undefined || BigInt(String(payload.cumulativeAmount)) !== expected)
    throw new Challenge.RefusedError('snapshot', `mppx built a credential for ${String(payload.cumulativeAmount)}, not the ${expected} Drip counted; nothing was sent.`)
}
