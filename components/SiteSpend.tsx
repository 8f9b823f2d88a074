import type { BudgetsView, SiteView } from '@/lib/protocol/views'
import { formatDollars } from '@/lib/shared/amounts'

type Props = {
  /** The site of the tab under the popup; nothing shows for a tab that is no web page. */
  origin: string | null | undefined
  sites: SiteView[] | undefined
  budgets: BudgetsView | undefined
}

/** One line under the title: what the site the reader is on has cost today and this month, or that Drip pays it nothing. */
export function SiteSpend({ origin, sites, budgets }: Props) {
  if (!origin || !sites || !budgets) return null
  const spent = budgets.spent.sites[origin]
  const approved = sites.some((site) => site.origin === origin)
  const host = new URL(origin).host
  return (
    <p className="small site-spend" data-testid="site-spend">
      {approved || spent
        ? `${host}: ${formatDollars(BigInt(spent?.today ?? 0))} today, ${formatDollars(BigInt(spent?.month ?? 0))} this month`
        : `${host}: not approved, Drip pays it nothing`}
    </p>
  )
}
