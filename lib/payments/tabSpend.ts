/**
 * What each tab's pages had Drip sign, for the popup's header ("this tab:
 * $0.07"): by tab, the site it showed and the amount, counting every way a
 * page pays (its requests, streams, sockets, media and charges). A tab that
 * pays another site starts again at that site. Kept in memory and written to
 * `storage.session` after the payment (a restarted worker keeps it; a browser
 * restart forgets it); never on the payment's path, and at most one write
 * at a time however many vouchers a stream signs meanwhile (the last state
 * is written when the one before lands).
 */
import type { RawAmount } from '@/lib/shared/amounts'
import type { AccountItems } from '@/lib/storage/schema'

/** Tabs remembered at most; the oldest entry goes first. */
export const maxTabs = 200

export type TabTally = { origin: string; amount: RawAmount }

export class TabSpend {
  private loaded: Promise<Map<number, TabTally>> | undefined
  /** A write is under way; `dirty`: the tallies changed since it began. */
  private writing = false
  private dirty = false

  constructor(private readonly item: AccountItems['tabSpend']) {}

  private tallies(): Promise<Map<number, TabTally>> {
    this.loaded ??= this.item
      .getValue()
      .then((stored) => new Map(Object.entries(stored).map(([tab, { origin, amount }]) => [Number(tab), { origin, amount: BigInt(amount) }])))
      .catch(() => new Map())
    return this.loaded
  }

  /** `tabId`'s page of `origin` had Drip sign `amount` more (nothing for a payment outside any tab). */
  async add(tabId: number | undefined, origin: string, amount: RawAmount): Promise<void> {
    if (tabId === undefined || tabId < 0 || amount <= 0n) return
    const tallies = await this.tallies()
    const before = tallies.get(tabId)
    tallies.delete(tabId)
    tallies.set(tabId, { origin, amount: (before?.origin === origin ? before.amount : 0n) + amount })
    if (tallies.size > maxTabs) tallies.delete(tallies.keys().next().value!)
    this.dirty = true
    void this.persist(tallies)
  }

  /** Writes the tallies as they are now, again while they changed during a write; one write at a time. */
  private async persist(tallies: Map<number, TabTally>) {
    if (this.writing) return
    this.writing = true
    try {
      while (this.dirty) {
        this.dirty = false
        const snapshot = Object.fromEntries([...tallies].map(([tab, tally]) => [tab, { origin: tally.origin, amount: tally.amount.toString() }]))
        await this.item.setValue(snapshot).catch(() => undefined)
      }
    } finally {
      this.writing = false
    }
  }

  /** What the tab's pages of `origin` had Drip sign (0 when the tab paid another site since, or nothing). */
  async of(tabId: number, origin: string): Promise<RawAmount> {
    const tally = (await this.tallies()).get(tabId)
    return tally?.origin === origin ? tally.amount : 0n
  }
}
