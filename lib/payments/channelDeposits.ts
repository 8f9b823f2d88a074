/**
 * A site's channel deposit: the open (the first unit, with a deposit inside
 * the approval: the reader's step, or the site's suggestion, at most the
 * cap) and the top-ups when a voucher would pass what is deposited. Both go
 * through mppx's session method for amounts Drip computed; the payer runs
 * them in the site's turn (`payer.ts`).
 */
import type { Client, LocalAccount } from 'viem'
import { formatDollars, type RawAmount } from '@/lib/shared/amounts'
import * as Challenge from './challenge'
import { type ChannelRecord, type ChannelRecords, keyFor } from './channelRecords'
import * as Deposits from './deposits'
import type { Ledger } from './ledger'
import * as Opening from './openingChannels'
import * as Policy from './policy'
import { assertCumulative, postManagement, sessionCredential } from './sessionCredentials'
import { type SigningGateDeps, withinBudget } from './signingGate'
import { stepMark } from '@/lib/shared/stepMarks'

export type ChannelDepositDeps = SigningGateDeps & {
  /** The signing account; throws LockedError when the wallet is locked. */
  signer: () => Promise<LocalAccount>
  /** A viem client for an enabled chain. */
  getClient: (chainId: number) => Client | Promise<Client>
  records: ChannelRecords
  ledger: Ledger
  /** Management POSTs (top-up, voucher); never follows redirects. */
  fetch: typeof globalThis.fetch
  /** Units each deposit step buys at least (the reader's setting, `Preferences.depositUnits`). */
  depositUnits: () => Promise<number>
}

/** The site's open channel for these terms, as Drip recorded it. */
export function openRecordFor(records: ChannelRecords, origin: string, challenge: Challenge.SessionChallenge) {
  return records.openFor(origin, keyFor({ payee: challenge.recipient, token: challenge.currency, escrow: challenge.escrow, chainId: challenge.chainId }))
}

/** Opens the site's channel with its first unit; the open is offered again until the chain has it (`openingChannels.ts`). */
export async function openChannel(deps: ChannelDepositDeps, origin: string, challenge: Challenge.SessionChallenge, approval: Policy.Approval, resourceUrl: string) {
  // mppx would "recover" a channel from the server's snapshot and sign the server's cumulative.
  if (challenge.hasSessionSnapshot)
    throw new Challenge.RefusedError(
      'snapshot',
      `${origin} offered to resume a channel Drip has no record of. Drip signs only amounts it counted itself; close that channel from Drip's channel list or let it expire on the site.`,
    )
  const cap = Policy.channelCap(approval)
  Policy.assertWithinApproval(challenge.amount, approval)
  const deposit = Deposits.openingDeposit({ price: challenge.amount, suggestedDeposit: challenge.suggestedDeposit, cap, stepUnits: await deps.depositUnits() })
  // Signed while the budgets' count is stored (the chain's fill of the open takes longer). The channel mppx records as
  // it signs is held back and stored once the count is, with its opening, in one write: a count that fails to store
  // leaves no channel behind, and the open never leaves.
  const held: { channel?: ChannelRecord } = {}
  const authorization = await withinBudget(deps, origin, challenge.amount, async (counted) => {
    stepMark('worker: budget counted in memory')
    const account = await deps.signer()
    const credential = await sessionCredential(deps, account, { origin, resourceUrl, approval }, challenge, { depositRaw: deposit.toString() }, { onNewChannel: (record) => (held.channel = record) })
    stepMark('worker: open signed')
    assertCumulative(credential, challenge.amount)
    await counted
    stepMark('worker: budget count stored')
    return credential
  })
  const channel = held.channel
  if (!channel) throw new Error('mppx signed an open but recorded no channel.')
  const opened = (await deps.records.update(channel.channelId, (current) => ({ ...(current ?? channel), opening: Opening.openingOf(authorization, challenge.amount) })))!
  stepMark('worker: open recorded')
  // The history line need not land before the credential leaves (it is not money); the history's readers wait for it.
  void deps.ledger.append({
    origin,
    kind: 'open',
    channelId: opened.channelId,
    amount: opened.deposit,
    cumulative: opened.cumulative,
    detail: `Opened with a ${formatDollars(opened.deposit)} deposit (cap ${formatDollars(cap)}).`,
  })
  return { authorization, channelId: opened.channelId, cumulative: challenge.amount, added: challenge.amount }
}

/** Raises the deposit so `required` fits, inside the approval; `open` (the caller's copy) takes the new deposit. */
export async function topUpChannel(
  deps: ChannelDepositDeps,
  account: LocalAccount,
  site: { origin: string; resourceUrl: string; approval: Policy.Approval },
  challenge: Challenge.SessionChallenge,
  open: ChannelRecord,
  required: RawAmount,
) {
  const { origin, resourceUrl, approval } = site
  const additional = Deposits.topUp({
    deposit: BigInt(open.deposit),
    required,
    price: challenge.amount,
    suggestedDeposit: challenge.suggestedDeposit,
    cap: Policy.channelCap(approval),
    stepUnits: await deps.depositUnits(),
  })
  Policy.assertWithinApproval(BigInt(open.deposit) + additional, approval)
  const response = await postManagement(deps.fetch, resourceUrl, challenge, (current) =>
    sessionCredential(deps, account, site, current, { action: 'topUp', channelId: open.channelId, descriptor: open.descriptor, additionalDepositRaw: additional.toString() }),
  )
  await response.body?.cancel()
  // The top-up transaction may still have landed: the record keeps the old deposit, so nothing is signed against it.
  if (!response.ok) throw new Challenge.RefusedError('siteRefused', `${origin} refused the top-up (HTTP ${response.status}).`)
  const deposit = BigInt(open.deposit) + additional
  await deps.records.update(open.channelId, (current) => current && { ...current, deposit: deposit.toString() })
  open.deposit = deposit.toString()
  await deps.ledger.append({ origin, kind: 'topUp', channelId: open.channelId, amount: additional.toString(), detail: `Deposit raised to ${formatDollars(deposit)}.` })
}
