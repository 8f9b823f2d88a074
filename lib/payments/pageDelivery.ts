/**
 * The delivery state of vouchers handed to pages: which one the page has not
 * yet reported as reaching the site (`unconfirmed` on the channel record,
 * stored with the voucher), whether it was already offered again
 * (`reoffered`), and which are in flight from this worker (requests of one
 * site run side by side). A voucher whose fate is not known is offered
 * again instead of signing one more unit on top of it; the page can only
 * move Drip between offering one voucher again and signing the next unit,
 * never past what it asked for. The payer runs these in the site's turn
 * (`payer.ts`).
 */
import type { Hex } from 'viem'
import type { RawAmount } from '@/lib/shared/amounts'
import type { ChannelRecord, ChannelRecords } from './channelRecords'
import * as Opening from './openingChannels'

/** What a page voucher's record carries about it, written with its cumulative. */
export type DeliveryNotes = Pick<ChannelRecord, 'unconfirmed' | 'reoffered'>

/** A credential the payer made, as `Payer.pay` returns it: the credential, the channel state it leaves, and what it added (0 when offered again). */
export type PaidVoucher = { authorization: string; channelId: Hex; cumulative: RawAmount; added: RawAmount }

export class PageDelivery {
  /** Page vouchers this worker sent and whose answer has not come back yet (`channelId:cumulative`). */
  private readonly inFlight = new Set<string>()

  /**
   * Whether the next page payment offers the last voucher again: its fate is
   * not known (the worker or the page died in between). One still in flight
   * from this worker is not that: the next request gets a new unit.
   */
  offersAgain(open: ChannelRecord): boolean {
    return open.unconfirmed === open.cumulative && !this.inFlight.has(flightKey(open.channelId, BigInt(open.cumulative)))
  }

  notes(cumulative: RawAmount, reoffer: boolean): DeliveryNotes {
    return { unconfirmed: cumulative.toString(), reoffered: reoffer }
  }

  /** The voucher left for the site. */
  sent(channelId: Hex, cumulative: RawAmount): void {
    this.inFlight.add(flightKey(channelId, cumulative))
  }

  /**
   * The page's word on a voucher it was given: the site answered `status`
   * to the request that carried it. Delivered, or refused after being
   * offered again (the site held it already): the next payment signs a new
   * unit. Refused the first time: the next payment offers it again.
   */
  async delivered(records: ChannelRecords, origin: string, voucher: PaidVoucher, status: number): Promise<boolean> {
    const record = await records.get(voucher.channelId)
    // The site took the open: the channel is on chain.
    if (record?.origin === origin && record.opening?.credential === voucher.authorization && status < 400) await Opening.confirmed(records, record.channelId)
    this.inFlight.delete(flightKey(voucher.channelId, voucher.cumulative))
    if (!record || record.origin !== origin || record.unconfirmed !== voucher.cumulative.toString()) return false
    if (status === 402 && !record.reoffered) return true
    await records.update(record.channelId, (current) => current && { ...current, unconfirmed: undefined, reoffered: undefined })
    return true
  }

  /** A page voucher whose request failed before any answer (network error, abort): the next payment offers it again. */
  lost(voucher: PaidVoucher): void {
    this.inFlight.delete(flightKey(voucher.channelId, voucher.cumulative))
  }
}

function flightKey(channelId: Hex, cumulative: RawAmount): string {
  return `${channelId.toLowerCase()}:${cumulative}`
}
