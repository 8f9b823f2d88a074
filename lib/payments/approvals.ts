/**
 * Approvals and pending requests of one account, on the storage schema's
 * per-account items. Denials last for the browser session. At most
 * `maxPending` sites wait at once, so no page can queue requests without end.
 */
import { Serial } from '@/lib/shared/serial'
import type { AccountItems } from '@/lib/storage/schema'
import * as Policy from './policy'

/** Sites that may wait for the reader at once; a page hopping through origins cannot queue more. */
export const maxPending = 10

export type Queued = 'queued' | 'denied' | 'full'

export class Approvals {
  private serial = new Serial()

  constructor(private readonly items: Pick<AccountItems, 'approvals' | 'pending' | 'denied'>) {}

  async list(): Promise<Policy.Approval[]> {
    return Object.values(await this.items.approvals.getValue())
  }

  async get(origin: string): Promise<Policy.Approval | undefined> {
    return (await this.items.approvals.getValue())[origin]
  }

  /**
   * Grants (or replaces) a site's approval and clears its pending request and
   * denial. A charge signed since the caller read the approval still counts.
   */
  grant(approval: Policy.Approval): Promise<void> {
    return this.serial.run('approvals', async () => {
      const all = await this.items.approvals.getValue()
      await this.items.approvals.setValue({ ...all, [approval.origin]: Policy.keepCharges(approval, all[approval.origin]) })
      const { [approval.origin]: _, ...pending } = await this.items.pending.getValue()
      await this.items.pending.setValue(pending)
      await this.items.denied.setValue((await this.items.denied.getValue()).filter((origin) => origin !== approval.origin))
    })
  }

  /**
   * Counts a one-shot charge against the site's approval, if the approval is
   * still the one `check` accepts (it throws otherwise). Returns the approval
   * with the charge counted.
   */
  recordCharge(origin: string, amount: bigint, check: (approval: Policy.Approval | undefined) => Policy.Approval): Promise<Policy.Approval> {
    return this.serial.run('approvals', async () => {
      const all = await this.items.approvals.getValue()
      const charged = Policy.withCharge(check(all[origin]), amount)
      await this.items.approvals.setValue({ ...all, [origin]: charged })
      return charged
    })
  }

  /** Stops payments to a site at once. */
  revoke(origin: string): Promise<boolean> {
    return this.serial.run('approvals', async () => {
      const { [origin]: removed, ...rest } = await this.items.approvals.getValue()
      await this.items.approvals.setValue(rest)
      return removed !== undefined
    })
  }

  async pending(): Promise<Policy.PendingRequest[]> {
    return Object.values(await this.items.pending.getValue())
  }

  async pendingFor(origin: string): Promise<Policy.PendingRequest | undefined> {
    return (await this.items.pending.getValue())[origin]
  }

  /** Queues a site's 402 for the reader, unless the reader denied it this session or too many sites wait. */
  recordPending(challenge: Parameters<typeof Policy.pendingFrom>[0], origin: string): Promise<Queued> {
    return this.serial.run('approvals', async () => {
      if ((await this.items.denied.getValue()).includes(origin)) return 'denied'
      const all = await this.items.pending.getValue()
      if (!all[origin] && Object.keys(all).length >= maxPending) return 'full'
      await this.items.pending.setValue({ ...all, [origin]: Policy.pendingFrom(challenge, origin, all[origin]) })
      return 'queued'
    })
  }

  deny(origin: string): Promise<void> {
    return this.serial.run('approvals', async () => {
      const { [origin]: _, ...rest } = await this.items.pending.getValue()
      await this.items.pending.setValue(rest)
      const denied = await this.items.denied.getValue()
      if (!denied.includes(origin)) await this.items.denied.setValue([...denied, origin])
    })
  }
}
