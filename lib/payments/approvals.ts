/**
 * Approvals and pending requests of one account, on the storage schema's
 * per-account items. Denials last for the browser session. Which sites may
 * wait at once is `pendingQueue.ts`'s rule, so no page can jam the queue.
 */
import { Serial } from '@/lib/shared/serial'
import type { AccountItems } from '@/lib/storage/schema'
import { ApprovalWaits } from './approvalWaits'
import * as PendingQueue from './pendingQueue'
import * as Policy from './policy'
import * as WaitingRequests from './waitingRequests'

/** What became of a site's request for approval: queued for the reader, or not (denied this session, or ignored). */
export type Queued = 'queued' | 'denied' | 'ignored'

/**
 * The approvals themselves are read from storage once and then kept in
 * memory (this worker is their only writer, and every payment reads them
 * twice); a change is kept only once it is stored. Readers get copies.
 */
export class Approvals {
  private serial = new Serial()
  private cached: Promise<Record<string, Policy.Approval>> | undefined
  /** Page requests held until the reader answers their site (`heldRequests.ts`). */
  readonly waits = new ApprovalWaits()

  constructor(private readonly items: Pick<AccountItems, 'approvals' | 'pending' | 'denied' | 'ignored'>) {}

  private byOrigin(): Promise<Record<string, Policy.Approval>> {
    this.cached ??= this.items.approvals.getValue().catch((error: unknown) => {
      this.cached = undefined
      throw error
    })
    return this.cached
  }

  private async store(all: Record<string, Policy.Approval>) {
    await this.items.approvals.setValue(all)
    this.cached = Promise.resolve(all)
  }

  async list(): Promise<Policy.Approval[]> {
    return Object.values(await this.byOrigin()).map(copy)
  }

  async get(origin: string): Promise<Policy.Approval | undefined> {
    const approval = (await this.byOrigin())[origin]
    return approval && copy(approval)
  }

  /**
   * Grants (or replaces) a site's approval and clears its pending request and
   * denial, leaving `stillWaiting` (what the approval did not cover) as its
   * pending request. A charge signed since the caller read the approval still counts.
   */
  grant(approval: Policy.Approval, stillWaiting?: WaitingRequests.PendingRequest): Promise<void> {
    return this.serial.run('approvals', async () => {
      const all = await this.byOrigin()
      await this.store({ ...all, [approval.origin]: copy(Policy.keepCharges(approval, all[approval.origin])) })
      const { [approval.origin]: _, ...pending } = await this.items.pending.getValue()
      await this.items.pending.setValue(stillWaiting ? { ...pending, [approval.origin]: stillWaiting } : pending)
      await this.items.denied.setValue((await this.items.denied.getValue()).filter((origin) => origin !== approval.origin))
      await this.items.ignored.setValue((await this.items.ignored.getValue()).filter((origin) => origin !== approval.origin))
      this.waits.decided(approval.origin)
    })
  }

  /**
   * Counts a one-shot charge against the site's approval, if the approval is
   * still the one `check` accepts (it throws otherwise). Returns the approval
   * with the charge counted.
   */
  recordCharge(origin: string, amount: bigint, check: (approval: Policy.Approval | undefined) => Policy.Approval): Promise<Policy.Approval> {
    return this.serial.run('approvals', async () => {
      const all = await this.byOrigin()
      const current = all[origin]
      const charged = Policy.withCharge(check(current && copy(current)), amount)
      await this.store({ ...all, [origin]: copy(charged) })
      return charged
    })
  }

  /**
   * Notes the price of a payment the approval covers, and returns what the
   * reader should hear when it is a unit first seen or a rise (once per
   * price): `Policy.priceNews`.
   */
  notePrice(origin: string, terms: Pick<Policy.Terms, 'amount' | 'unitType'>): Promise<string | undefined> {
    return this.serial.run('approvals', async () => {
      const all = await this.byOrigin()
      const current = all[origin]
      const news = current && Policy.priceNews(terms, current)
      if (!news) return undefined
      await this.store({ ...all, [origin]: copy(news.approval) })
      return news.text
    })
  }

  /** Stops payments to a site at once. */
  revoke(origin: string): Promise<boolean> {
    return this.serial.run('approvals', async () => {
      const { [origin]: removed, ...rest } = await this.byOrigin()
      await this.store(rest)
      return removed !== undefined
    })
  }

  /** The sites waiting now (a request expires `PendingQueue.pendingExpiryMs` after its site last asked). */
  async pending(now = Date.now()): Promise<WaitingRequests.PendingRequest[]> {
    return Object.values(await this.items.pending.getValue()).filter((request) => PendingQueue.stillWaiting(request, now))
  }

  async pendingFor(origin: string, now = Date.now()): Promise<WaitingRequests.PendingRequest | undefined> {
    const request = (await this.items.pending.getValue())[origin]
    return request && PendingQueue.stillWaiting(request, now) ? request : undefined
  }

  /**
   * Queues a site's 402 for the reader (from the page in `tabId`), unless the
   * reader denied it this session. Room is made by `PendingQueue.makeRoom`;
   * pages held for a site pushed out keep waiting their time (waking them
   * would have them queue again and push out another).
   */
  recordPending(challenge: Parameters<typeof WaitingRequests.pendingFrom>[0], origin: string, tabId?: number, now = Date.now()): Promise<Queued> {
    return this.serial.run('approvals', async () => {
      if ((await this.items.ignored.getValue()).includes(origin)) return 'ignored'
      if ((await this.items.denied.getValue()).includes(origin)) return 'denied'
      const { kept } = PendingQueue.makeRoom(await this.items.pending.getValue(), origin, tabId, now)
      const previous = kept[origin]
      // A site already waiting keeps its first request; what its pages ask for meanwhile waits beside it.
      const next = previous ? WaitingRequests.withAlso(WaitingRequests.pendingFrom(challenge, origin, previous, now), challenge) : WaitingRequests.pendingFrom(challenge, origin, undefined, now)
      await this.items.pending.setValue({ ...kept, [origin]: { ...next, ...(tabId === undefined ? {} : { tabId }) } })
      return 'queued'
    })
  }

  /** Refuses a waiting site for this browser session; `always` ignores it until the reader stops ignoring it. */
  deny(origin: string, { always = false }: { always?: boolean } = {}): Promise<void> {
    return this.serial.run('approvals', async () => {
      const { [origin]: _, ...rest } = await this.items.pending.getValue()
      await this.items.pending.setValue(rest)
      const list = always ? this.items.ignored : this.items.denied
      const origins = await list.getValue()
      if (!origins.includes(origin)) await list.setValue([...origins, origin])
      this.waits.decided(origin)
    })
  }

  /** The sites the reader told Drip to ignore, in the order they were ignored. */
  ignored(): Promise<string[]> {
    return this.items.ignored.getValue()
  }

  /** The site may ask for approval again. */
  stopIgnoring(origin: string): Promise<void> {
    return this.serial.run('approvals', async () => {
      await this.items.ignored.setValue((await this.items.ignored.getValue()).filter((ignored) => ignored !== origin))
    })
  }
}

/** An approval's own copy (its arrays too), so no reader changes the kept one. */
function copy(approval: Policy.Approval): Policy.Approval {
  return { ...approval, prices: { ...approval.prices }, ...(approval.apiOrigins ? { apiOrigins: [...approval.apiOrigins] } : {}) }
}
