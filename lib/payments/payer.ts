/**
 * Where a site's payments are signed, one at a time per site: the channel's
 * open, vouchers (for a page's request or a stream's delivery) and top-ups,
 * through mppx's Tempo session method, for a cumulative amount Drip computed
 * itself: the site's channel record plus the price, or what a stream
 * delivered. Before each signature the approval, the budgets and the lock
 * are read as they are at that moment (`signingGate.ts`), the cumulative is
 * checked against the cap, and the channel is topped up inside the cap if
 * its deposit is short. The new cumulative is recorded before the
 * credential leaves. Beside it: the channel's open and top-ups
 * (`channelDeposits.ts`), one-shot charges (`charge.ts`), page vouchers'
 * delivery state (`pageDelivery.ts`), mppx's session method and management
 * POST (`sessionCredentials.ts`); a channel's close is built in
 * `lifecycle.ts`.
 */
import type { Hex, LocalAccount } from 'viem'
import type { RawAmount } from '@/lib/shared/amounts'
import { Serial } from '@/lib/shared/serial'
import * as Challenge from './challenge'
import { signCharge } from './charge'
import { type ChannelDepositDeps, openChannel, openRecordFor, topUpChannel } from './channelDeposits'
import type { ChannelRecord } from './channelRecords'
import { purchaseDetail } from './ledger'
import * as Opening from './openingChannels'
import { PageDelivery, type PaidVoucher } from './pageDelivery'
import * as Policy from './policy'
import { assertCumulative, postManagement, sessionCredential } from './sessionCredentials'
import { approvalNow, withinBudget } from './signingGate'
import { UndeliveredVoucherError } from './undeliveredVoucher'
import { stepMark } from '@/lib/shared/stepMarks'

/** What the payer is given: the wallet's signer, the chain, the site's records, history and budgets (`channelDeposits.ts`). */
export type PayerDeps = ChannelDepositDeps

/**
 * Paid attempts for one request of a page: a voucher the site refused is
 * offered once more (the site may never have taken it), and a new unit is
 * signed only when the site refused it again (it held it, and another
 * request on the channel spent it first). See `delivered`.
 */
export const maxPaidAttempts = 3

export class Payer {
  private serial = new Serial()

  private readonly delivery = new PageDelivery()

  constructor(private readonly deps: PayerDeps) {}

  /**
   * The `Authorization: Payment …` value for one unit at a site's 402: opens
   * the site's channel the first time, else signs the next voucher, topping
   * up inside the approval when the deposit is spent.
   *
   * `reoffer`: sign what is already signed, adding nothing. A stream that
   * resumes after a lost connection may hold a unit the site never got to
   * spend; the site accepts it again, or answers 402 and the caller pays.
   */
  pay(
    origin: string,
    challenge: Challenge.SessionChallenge,
    resourceUrl: string,
    options: { reoffer?: boolean; forPage?: boolean } = {},
  ): Promise<PaidVoucher> {
    return this.serial.run(origin, async () => {
      const approval = await approvalNow(this.deps, origin, challenge)
      const channel = await this.channelNow(origin, challenge)
      // The open may not have reached the site (its page went away): offered again, nothing new signed.
      if (channel.kind === 'opening') return { authorization: channel.opening.credential, channelId: channel.channelId, cumulative: BigInt(channel.opening.cumulative), added: 0n }
      if (channel.kind === 'none') return openChannel(this.deps, origin, challenge, approval, resourceUrl)
      const open = channel.record
      const signed = BigInt(open.cumulative)
      // A page's last voucher may never have reached the site (the worker or the page died in between): offered again.
      const reoffer = Boolean(options.reoffer || (options.forPage && this.delivery.offersAgain(open)))
      const next = reoffer ? signed : signed + challenge.amount
      Policy.assertWithinApproval(next, approval)
      // Noted with the voucher, before it leaves: a voucher whose fate is not known is never followed by one more unit on top of it.
      const notes = options.forPage ? this.delivery.notes(next, reoffer) : undefined
      // Signed while the budgets' count is stored. Should that write fail, the voucher stays unsent, stored with its
      // cumulative and marked unconfirmed: the next page payment offers it again instead of a unit on top, and its
      // count stays in memory for the next write to store.
      let voucherSigned = false
      const authorization = await withinBudget(
        this.deps,
        origin,
        next - signed,
        async (counted) => {
          stepMark('worker: budget counted in memory')
          const account = await this.deps.signer()
          const voucher = await this.signVoucher(origin, challenge, approval, account, open, next, resourceUrl, notes)
          stepMark('worker: voucher signed and recorded')
          voucherSigned = true
          await counted
          stepMark('worker: budget count stored')
          return voucher
        },
        () => voucherSigned,
      )
      // mppx stores a voucher's channel with its cumulative (and the notes with it); one it did not store gets them here.
      const stored = notes && (await this.deps.records.get(open.channelId))
      if (notes && (stored?.unconfirmed !== notes.unconfirmed || Boolean(stored?.reoffered) !== notes.reoffered))
        await this.deps.records.update(open.channelId, (current) => current && { ...current, ...notes })
      if (options.forPage) this.delivery.sent(open.channelId, next)
      // The history line need not land before the credential leaves (it is not money); the history's readers wait for it.
      if (!reoffer)
        void this.deps.ledger.append({ origin, kind: 'voucher', channelId: open.channelId, cumulative: next.toString(), amount: challenge.amount.toString(), detail: purchaseDetail(challenge.unitType, resourceUrl) })
      return { authorization, channelId: open.channelId, cumulative: next, added: next - signed }
    })
  }

  /** The page's word on a voucher it was given: the site answered `status` to the request that carried it (`pageDelivery.ts`). */
  delivered(origin: string, voucher: PaidVoucher, status: number): Promise<boolean> {
    return this.serial.run(origin, () => this.delivery.delivered(this.deps.records, origin, voucher, status))
  }

  /** A page voucher whose request failed before any answer: the next payment offers it again. */
  lost(voucher: PaidVoucher): void {
    this.delivery.lost(voucher)
  }

  /**
   * Signs `additional` more on the site's open channel (its recorded
   * cumulative plus `additional`) and delivers the voucher: POSTed to the
   * stream's URL, or as `deliver` sends it (a WebSocket's frame).
   * A delta, not a target: payments that other tabs make on the same channel
   * meanwhile add up instead of being paid for twice or not at all. Returns
   * the cumulative now signed on the channel.
   */
  voucher(
    origin: string,
    challenge: Challenge.SessionChallenge,
    additional: RawAmount,
    resourceUrl: string,
    deliver: (sign: (challenge: Challenge.SessionChallenge) => Promise<string>) => Promise<void> = (sign) => this.postVoucher(origin, resourceUrl, challenge, sign),
  ): Promise<RawAmount> {
    return this.serial.run(origin, async () => {
      const approval = await approvalNow(this.deps, origin, challenge)
      const channel = await this.channelNow(origin, challenge)
      if (channel.kind !== 'open') throw new Challenge.RefusedError('siteRefused', `${origin} has no open channel to pay this stream from (its open is not on chain).`)
      const open = channel.record
      if (additional <= 0n) return BigInt(open.cumulative)
      const cumulative = BigInt(open.cumulative) + additional
      Policy.assertWithinApproval(cumulative, approval)
      let signed = false
      await withinBudget(
        this.deps,
        origin,
        additional,
        async (counted) => {
          // A stream's voucher is counted before it is signed: its cumulative is stored with it, and nothing offers it again.
          await counted
          const account = await this.deps.signer()
          await deliver(async (current) => {
            const authorization = await this.signVoucher(origin, current, approval, account, open, cumulative, resourceUrl)
            signed = true
            return authorization
          }).catch((error: unknown) => {
            throw signed ? new UndeliveredVoucherError((error as Error).message, cumulative) : error
          })
        },
        // Signed is spent for the budget, delivered or not: the site may hold it.
        () => signed,
      )
      return cumulative
    })
  }

  /** A stream's voucher as mppx's management POST to the stream URL. */
  private async postVoucher(origin: string, resourceUrl: string, challenge: Challenge.SessionChallenge, sign: (challenge: Challenge.SessionChallenge) => Promise<string>) {
    const response = await postManagement(this.deps.fetch, resourceUrl, challenge, sign)
    await response.body?.cancel()
    if (!response.ok) throw new Challenge.RefusedError('siteRefused', `${origin} refused a voucher (HTTP ${response.status}).`)
  }

  /** The `Authorization: Payment …` value for a site's one-shot charge (`charge.ts`), in the site's turn. */
  charge(origin: string, challenge: Challenge.ChargeChallenge): Promise<{ authorization: string }> {
    return this.serial.run(origin, () => signCharge(this.deps, origin, challenge))
  }

  /** The site's open channel for this challenge's terms, and how much Drip signed on it. */
  async signed(origin: string, challenge: Challenge.SessionChallenge): Promise<{ channelId: Hex; cumulative: RawAmount } | undefined> {
    const open = await openRecordFor(this.deps.records, origin, challenge)
    return open && { channelId: open.channelId, cumulative: BigInt(open.cumulative) }
  }

  /**
   * The site's channel for these terms as the chain has it: open; still
   * opening (an open signed moments ago, not yet mined, whose credential is
   * offered again rather than a second open); or none (never opened).
   */
  private async channelNow(
    origin: string,
    challenge: Challenge.SessionChallenge,
  ): Promise<{ kind: 'open'; record: ChannelRecord } | { kind: 'opening'; channelId: Hex; opening: Opening.Opening } | { kind: 'none' }> {
    const found = await openRecordFor(this.deps.records, origin, challenge)
    if (!found) return { kind: 'none' }
    if (!found.opening) return { kind: 'open', record: found }
    const settled = await Opening.settle(this.deps, { ...found, opening: found.opening })
    if (settled.kind === 'opening') return { kind: 'opening', channelId: found.channelId, opening: settled.opening }
    return settled.kind === 'open' ? settled : { kind: 'none' }
  }

  /** Tops up if the deposit is short, then signs a voucher for exactly `cumulative` (which the caller checked against the approval). */
  private async signVoucher(
    origin: string,
    challenge: Challenge.SessionChallenge,
    approval: Policy.Approval,
    account: LocalAccount,
    open: ChannelRecord,
    cumulative: RawAmount,
    resourceUrl: string,
    notes?: Pick<ChannelRecord, 'unconfirmed' | 'reoffered'>,
  ): Promise<string> {
    const site = { origin, resourceUrl, approval }
    if (cumulative > BigInt(open.deposit)) await topUpChannel(this.deps, account, site, challenge, open, cumulative)
    const context = { action: 'voucher', channelId: open.channelId, descriptor: open.descriptor, cumulativeAmountRaw: cumulative.toString() }
    const authorization = await sessionCredential(this.deps, account, site, challenge, context, { voucherNotes: notes })
    assertCumulative(authorization, cumulative)
    return authorization
  }
}
