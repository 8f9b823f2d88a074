/**
 * One account's budgets and what it signed per day, on the storage
 * schema's items: the payer asks `check` before every signature and tells
 * `record` after it; `record` returns the 80% and 100% alerts the payment
 * crossed. The rules themselves are `budgets.ts`'s.
 */
import type { RawAmount } from '@/lib/shared/amounts'
import { Serial } from '@/lib/shared/serial'
import type { AccountItems } from '@/lib/storage/schema'
import * as Budgets from './budgets'

export class BudgetBook {
  private serial = new Serial()

  constructor(
    private readonly items: Pick<AccountItems, 'budgets' | 'spending'>,
    /** The reader's clock; tests move it across days and months. */
    private readonly now: () => Date = () => new Date(),
  ) {}

  budgets(): Promise<Budgets.Budgets> {
    return this.items.budgets.getValue()
  }

  setBudgets(budgets: Budgets.Budgets): Promise<void> {
    return this.items.budgets.setValue(budgets)
  }

  spending(): Promise<Budgets.Spending> {
    return this.items.spending.getValue()
  }

  /** Refuses (RefusedError 'budget') a signature of `amount` more that would pass a limit. */
  async check(origin: string, amount: RawAmount): Promise<void> {
    Budgets.assertWithinBudgets(await this.budgets(), await this.spending(), origin, amount, this.now())
  }

  /** Counts `amount` signed for `origin` now; returns the alerts it crossed. */
  record(origin: string, amount: RawAmount): Promise<Budgets.BudgetAlert[]> {
    if (amount <= 0n) return Promise.resolve([])
    return this.serial.run('spending', async () => {
      const now = this.now()
      const before = await this.spending()
      const after = Budgets.withSpent(before, origin, amount, now)
      await this.items.spending.setValue(after)
      return Budgets.alertsCrossed(await this.budgets(), before, after, origin, now)
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
