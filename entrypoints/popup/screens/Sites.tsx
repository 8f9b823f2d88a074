import { limitsFrom } from '@/components/BudgetsCard'
import { IgnoredSites } from '@/components/IgnoredSites'
import { SiteList } from '@/components/SiteList'
import { parseDollars } from '@/lib/shared/amounts'
import { useAction, useRead } from '../api'

/** Approved sites: price, cap, spend this day and month, budget, sign-ahead, pause, revoke. */
export function Sites() {
  const sites = useRead('approvals.list')
  const budgets = useRead('budgets.get')
  const setMaxDeposit = useAction('approvals.setMaxDeposit')
  const revoke = useAction('approvals.revoke')
  const setBudget = useAction('budgets.set')
  const pause = useAction('approvals.pause')
  const setSignAhead = useAction('approvals.setSignAhead')
  const settings = useRead('settings.get')
  const ignored = useRead('approvals.ignored')
  const stopIgnoring = useAction('approvals.stopIgnoring')
  return (
    <>
      <SiteList
        sites={sites.data ?? []}
        onRevoke={(origin) => revoke.mutate({ origin })}
        budgets={budgets.data}
        onRaise={(origin, maxDeposit) => setMaxDeposit.mutate(() => ({ origin, maxDeposit: parseDollars(maxDeposit, 'Max deposit').toString() }))}
        onBudget={(origin, input) => setBudget.mutate(() => ({ site: { origin, limits: limitsFrom(input, parseDollars) } }))}
        onPause={(origin, paused) => pause.mutate({ origin, paused })}
        onSignAhead={(origin, dollars) =>
          setSignAhead.mutate(() => ({ origin, signAhead: dollars.trim() === '' ? null : parseDollars(dollars, 'Paying streams ahead').toString() }))
        }
        defaultSignAhead={settings.data?.signAhead}
        busy={revoke.isPending || setMaxDeposit.isPending || setBudget.isPending || pause.isPending || setSignAhead.isPending}
        error={revoke.error ?? setMaxDeposit.error ?? setBudget.error ?? pause.error ?? setSignAhead.error ?? sites.error}
      />
      <IgnoredSites
        origins={ignored.data ?? []}
        onStopIgnoring={(origin) => stopIgnoring.mutate({ origin })}
        busy={stopIgnoring.isPending}
        error={stopIgnoring.error ?? ignored.error}
      />
    </>
  )
}
