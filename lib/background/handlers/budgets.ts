/** `budgets.*`, `insights.get` and `spend.tab`: daily and monthly limits per site and overall, what was spent against them, the alerts due now, spend over time, and what one tab's pages had Drip sign. */
import type { BudgetBook } from '@/lib/payments/budgetBook'
import * as Budgets from '@/lib/payments/budgets'
import { insightsOf } from '@/lib/payments/insights'
import type { PopupHandlers } from '@/lib/protocol/messages'
import type { BudgetsView, LimitsView } from '@/lib/protocol/views'
import { rawAmountOf } from '@/lib/shared/amounts'
import type { Background } from '../background'

export function budgetHandlers(background: Background): Pick<PopupHandlers, 'budgets.get' | 'budgets.set' | 'insights.get' | 'spend.tab'> {
  async function budgetsView(): Promise<BudgetsView> {
    const { budgets: book } = await background.current()
    const budgets = await book.budgets()
    const usage = await book.usage()
    const spent = {
      today: usage.today.toString(),
      month: usage.month.toString(),
      sites: Object.fromEntries(Object.entries(usage.sites).map(([origin, s]) => [origin, { today: s.today.toString(), month: s.month.toString() }])),
    }
    return { ...budgets, spent, alerts: currentAlerts(budgets, usage) }
  }
  return {
    'budgets.get': budgetsView,
    async 'insights.get'() {
      return insightsOf(await (await background.current()).budgets.spending(), new Date())
    },
    async 'spend.tab'({ tabId, origin }) {
      if (!Number.isSafeInteger(tabId) || typeof origin !== 'string') throw new Error('A tab id and a site are needed.')
      return { amount: (await (await background.current()).tabSpend.of(tabId, origin)).toString() }
    },
    'budgets.set': background.userAction(async ({ overall, site, notify }) => {
      const { budgets: book } = await background.current()
      const budgets = await book.budgets()
      const next: Budgets.Budgets = {
        overall: overall === undefined ? budgets.overall : limitsFrom(overall),
        sites: site === undefined ? budgets.sites : withSite(budgets.sites, String(site.origin), limitsFrom(site.limits)),
        notify: notify === undefined ? budgets.notify : Boolean(notify),
      }
      await book.setBudgets(next)
      return budgetsView()
    }),
  }
}

function limitsFrom(view: LimitsView): Budgets.Limits {
  if (!view || typeof view !== 'object') throw new Error('A budget needs a daily and/or monthly limit.')
  const limits: Budgets.Limits = {}
  if (view.daily !== undefined) limits.daily = rawAmountOf(view.daily).toString()
  if (view.monthly !== undefined) limits.monthly = rawAmountOf(view.monthly).toString()
  if (limits.daily !== undefined && limits.monthly !== undefined && BigInt(limits.daily) > BigInt(limits.monthly))
    throw new Error('The daily limit cannot be more than the monthly one.')
  return limits
}

function withSite(sites: Record<string, Budgets.Limits>, origin: string, limits: Budgets.Limits): Record<string, Budgets.Limits> {
  const { [origin]: _, ...rest } = sites
  return limits.daily === undefined && limits.monthly === undefined ? rest : { ...rest, [origin]: limits }
}

/** Every limit at 80% or more of what it allows, as of now. */
function currentAlerts(budgets: Budgets.Budgets, usage: Awaited<ReturnType<BudgetBook['usage']>>): string[] {
  const alerts: string[] = []
  const scopes: [string | undefined, Budgets.Limits, { today: bigint; month: bigint }][] = [
    [undefined, budgets.overall, usage],
    ...Object.entries(budgets.sites).map(([origin, limits]) => [origin, limits, usage.sites[origin] ?? { today: 0n, month: 0n }] as [string, Budgets.Limits, { today: bigint; month: bigint }]),
  ]
  for (const [origin, limits, spent] of scopes)
    for (const period of ['daily', 'monthly'] as const) {
      const limit = limits[period]
      if (limit === undefined || BigInt(limit) === 0n) continue
      const used = period === 'daily' ? spent.today : spent.month
      if (used * 100n >= BigInt(limit) * 80n)
        alerts.push(Budgets.alertText({ ...(origin ? { origin } : {}), period, threshold: used >= BigInt(limit) ? 100 : 80, limit, spent: used.toString() }))
    }
  return alerts
}
