import { useState } from 'react'
import type { BudgetsView, LimitsView } from '@/lib/protocol/views'
import { formatDollars as usd, toDollars } from '@/lib/shared/amounts'
import { ErrorText, Field } from './Field'
import { useDraft } from './useDraft'

type Props = {
  budgets: BudgetsView
  /** Dollars as typed ('' for no limit), and whether to notify. */
  onSave: (input: { daily: string; monthly: string; notify: boolean }) => void
  busy: boolean
  error: Error | null
}

/** Overall budgets over time: a daily and a monthly limit on what Drip signs for every site together. */
export function BudgetsCard({ budgets, onSave, busy, error }: Props) {
  const [daily, setDaily] = useDraft(dollarsOrEmpty(budgets.overall.daily))
  const [monthly, setMonthly] = useDraft(dollarsOrEmpty(budgets.overall.monthly))
  const [notify, setNotify] = useState(budgets.notify)
  return (
    <section className="card" aria-labelledby="budgets-heading">
      <h2 id="budgets-heading">Budgets</h2>
      <p className="small" data-testid="spent-overall">
        Spent today {usd(budgets.spent.today)}, this month {usd(budgets.spent.month)}.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          onSave({ daily, monthly, notify })
        }}
      >
        <Field name="overallDaily" label="Daily budget, all sites (USD)" inputMode="decimal" value={daily} onChange={(e) => setDaily(e.target.value)} hint="Empty for none. Resets at midnight." />
        <Field name="overallMonthly" label="Monthly budget, all sites (USD)" inputMode="decimal" value={monthly} onChange={(e) => setMonthly(e.target.value)} hint="Empty for none. Resets on the 1st." />
        <label className="inline">
          <input type="checkbox" name="notify" checked={notify} onChange={(e) => setNotify(e.target.checked)} /> Notify me at 80% and 100% of a budget
        </label>
        <button type="submit" disabled={busy}>
          Save budgets
        </button>
      </form>
      <ErrorText error={error} />
    </section>
  )
}

/** Budget alerts due now, for Home's "needs attention". */
export function BudgetAlerts({ alerts }: { alerts: string[] }) {
  if (alerts.length === 0) return null
  return (
    <section className="card attention" aria-labelledby="budget-alerts-heading">
      <h2 id="budget-alerts-heading">Budgets</h2>
      <ul className="list" data-testid="budget-alerts">
        {alerts.map((alert) => (
          <li key={alert}>{alert}</li>
        ))}
      </ul>
    </section>
  )
}

export function dollarsOrEmpty(raw: string | undefined): string {
  return raw === undefined ? '' : toDollars(raw)
}

/** Typed dollars ('' for none) into a limit, through `parse` (which throws in words). */
export function limitsFrom(input: { daily: string; monthly: string }, parse: (dollars: string, field: string) => bigint): LimitsView {
  return {
    ...(input.daily.trim() ? { daily: parse(input.daily, 'Daily budget').toString() } : {}),
    ...(input.monthly.trim() ? { monthly: parse(input.monthly, 'Monthly budget').toString() } : {}),
  }
}
