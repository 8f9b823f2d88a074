import type { BudgetsView, SiteView } from '@/lib/protocol/views'
import { formatDollars, type RawAmountString } from '@/lib/shared/amounts'

type Props = {
  /** The site of the tab under the popup; nothing shows for a tab that is no web page. */
  origin: string | null | undefined
  /** What this tab's pages of the site had Drip sign, raw units; undefined while unknown. */
  inTab?: RawAmountString
  sites: SiteView[] | undefined
  budgets: BudgetsView | undefined
}

/** One line under the title: what the site the reader is on has cost in this tab, today and this month, or that Drip pays it nothing. */
export function SiteSpend({ origin, inTab, sites, budgets }: Props) {
  if (!origin || !sites || !budgets) return null
  const spent = budgets.spent.sites[origin]
  const approved = sites.some((site) => site.origin === origin)
  const host = new URL(origin).host
  return (
    <p className="small site-spend" data-testid="site-spend">
      {approved || spent
        ? `${host}: ${inTab === undefined ? '' : `${formatDollars(BigInt(inTab))} in this tab, `}${formatDollars(BigInt(spent?.today ?? 0))} today, ${formatDollars(BigInt(spent?.month ?? 0))} this month`
        : `${host}: not approved, Drip pays it nothing`}
    </p>
  )
}
