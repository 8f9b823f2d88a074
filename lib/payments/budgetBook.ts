/**
 * One account's budgets and what it signed per day, on the storage
 * schema's items. Before every signature the payer `reserve`s its amount:
 * checked against every limit and counted in one step, so two sites paying
 * at once cannot both pass an overall limit; a signature that then fails is
 * `release`d. The rules themselves are `budgets.ts`'s.
 *
 * Budgets and spending are read from storage once and then kept in memory
 * (this worker is their only writer), so a voucher costs one storage write
 * here, not three round trips.
 */
import type { RawAmount } from '@/lib/shared/amounts'
import { Serial } from '@/lib/shared/serial'
import type { AccountItems } from '@/lib/storage/schema'
import * as Budgets from './budgets'

/** A counted amount: the marks it crossed, and its count's write to storage. */
export type Reservation = { alerts: Budgets.BudgetAlert[]; stored: Promise<void> }

export class BudgetBook {
  private serial = new Serial()

  constructor(
    private readonly items: Pick<AccountItems, 'budgets' | 'spending'>,
    /** The reader's clock; tests move it across days and months. */
    private readonly now: () => Date = () => new Date(),
  ) {}

  private cachedBudgets: Promise<Budgets.Budgets> | undefined
  private cachedSpending: Promise<Budgets.Spending> | undefined

  budgets(): Promise<Budgets.Budgets> {
    return (this.cachedBudgets ??= this.items.budgets.getValue())
  }

  setBudgets(budgets: Budgets.Budgets): Promise<void> {
    return this.serial.run('spending', async () => {
      await this.items.budgets.setValue(budgets)
      this.cachedBudgets = Promise.resolve(budgets)
    })
  }

  spending(): Promise<Budgets.Spending> {
    return (this.cachedSpending ??= this.items.spending.getValue())
  }

  /** Stores after the stores before it: a failed one is written over by the next, which holds the whole count. */
  private stores: Promise<unknown> = Promise.resolve()

  /** Takes `spending` in memory at once (the next reservation counts on it) and resolves when it is stored. */
  private setSpending(spending: Budgets.Spending): Promise<void> {
    this.cachedSpending = Promise.resolve(spending)
    const stored = this.stores.then(() => this.items.spending.setValue(spending))
    this.stores = stored.catch(() => undefined)
    return stored
  }

  /**
   * Counts `amount` about to be signed for `origin`, or refuses it
   * (RefusedError 'budget') when it would pass a limit. Resolves once it is
   * counted in memory, with the 80% and 100% marks it crossed and `stored`,
   * which settles when the count is in storage: the signature may be made
   * meanwhile, the credential may not leave before it.
   */
  reserve(origin: string, amount: RawAmount): Promise<Reservation> {
    if (amount <= 0n) return Promise.resolve({ alerts: [], stored: Promise.resolve() })
    return this.serial.run('spending', async () => {
      const now = this.now()
      const budgets = await this.budgets()
      const before = await this.spending()
      Budgets.assertWithinBudgets(budgets, before, origin, amount, now)
      const after = Budgets.withSpent(before, origin, amount, now)
      const stored = this.setSpending(after)
      // Awaited by the signer; a rejection nobody awaited (the signature failed first) is not unhandled.
      stored.catch(() => undefined)
      return { alerts: Budgets.alertsCrossed(budgets, before, after, origin, now), stored }
    })
  }

  /** Gives back a reservation whose signature was never made. */
  release(origin: string, amount: RawAmount): Promise<void> {
    if (amount <= 0n) return Promise.resolve()
    return this.serial.run('spending', async () => {
      await this.setSpending(Budgets.withSpent(await this.spending(), origin, -amount, this.now()))
    })
  }

  /** Spent today and this month, per site and overall, as of now. */
  async usage(): Promise<{ today: RawAmount; month: RawAmount; sites: Record<string, { today: RawAmount; month: RawAmount }> }> {
    const spending = await this.spending()
    const now = this.now()
    const sites = Object.fromEntries(
      Object.keys(spending).map((origin) => [origin, { today: Budgets.spentIn(spending, 'daily', now, origin), month: Budgets.spentIn(spending, 'monthly', now, origin) }]),
    )
    return { today: Budgets.spentIn(spending, 'daily', now), month: Budgets.spentIn(spending, 'monthly', now), sites }
  }
}
