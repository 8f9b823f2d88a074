import { useState } from 'react'
import type { BudgetsView, SiteView } from '@/lib/protocol/views'
import type { RawAmountString } from '@/lib/shared/amounts'
import { formatLimit, formatDollars as usd } from '@/lib/shared/amounts'
import { priceText } from '@/lib/payments/units'
import { dollarsOrEmpty } from './BudgetsCard'
import { ConfirmAction } from './ConfirmAction'
import { ErrorText, Field } from './Field'
import { SiteSignAhead } from './SiteSignAhead'
import { useDraft } from './useDraft'

type Props = {
  sites: SiteView[]
  budgets: BudgetsView | undefined
  onRevoke: (origin: string) => void
  onRaise: (origin: string, maxDeposit: string) => void
  /** Dollars as typed, '' for no limit. */
  onBudget: (origin: string, input: { daily: string; monthly: string }) => void
  onPause: (origin: string, paused: boolean) => void
  /** Dollars as typed, '' for the reader's default. */
  onSignAhead: (origin: string, dollars: string) => void
  /** The reader's default sign-ahead (Settings). */
  defaultSignAhead: RawAmountString | undefined
  busy: boolean
  error: Error | null
}

/** Approved sites: what each may spend and has spent, its budget over time, a new max deposit, its sign-ahead, Pause and Revoke. */
export function SiteList({ sites, error, ...actions }: Props) {
  return (
    <section className="card" aria-labelledby="sites-heading">
      <h2 id="sites-heading">Sites</h2>
      {sites.length === 0 && <p className="small">No approved sites yet. Visit a paywalled page and approve it here.</p>}
      <ul className="list">
        {sites.map((site) => (
          <Site key={site.origin} site={site} {...actions} />
        ))}
      </ul>
      <ErrorText error={error} />
    </section>
  )
}

function Site({ site, budgets, onRevoke, onRaise, onBudget, onPause, onSignAhead, defaultSignAhead, busy }: { site: SiteView } & Omit<Props, 'sites' | 'error'>) {
  const [maxDeposit, setMaxDeposit] = useState('')
  const limits = budgets?.sites[site.origin] ?? {}
  const spent = budgets?.spent.sites[site.origin] ?? { today: '0', month: '0' }
  const [daily, setDaily] = useDraft(dollarsOrEmpty(limits.daily))
  const [monthly, setMonthly] = useDraft(dollarsOrEmpty(limits.monthly))
  return (
    <li data-testid="site" data-paused={site.paused ? 'true' : undefined} aria-label={`${site.origin}${site.paused ? ', paused' : ''}`}>
      <div className="site">
        {site.origin}
        {site.paused && <span className="badge">paused</span>}
      </div>
      <div className="small" data-testid="site-spent-period">
        Spent today {usd(spent.today)}, this month {usd(spent.month)}
      </div>
      <div className="small" data-testid="site-limits">
        {site.prices.map(({ unitType, price }) => priceText(price, unitType)).join(', ')} · no single payment above {formatLimit(site.perPaymentLimit)} · spent {usd(site.spent)} of{' '}
        {formatLimit(site.maxDeposit)}
      </div>
      <form
        aria-label={`Change the max deposit for ${site.origin}`}
        onSubmit={(event) => {
          event.preventDefault()
          onRaise(site.origin, maxDeposit)
          setMaxDeposit('')
        }}
      >
        <Field name="newMaxDeposit" label="New max deposit (USD)" inputMode="decimal" value={maxDeposit} onChange={(e) => setMaxDeposit(e.target.value)} required />
        <div className="row">
          <button type="submit" disabled={busy} aria-label={`Change the max deposit for ${site.origin}`}>
            Change
          </button>
          <button type="button" onClick={() => onPause(site.origin, !site.paused)} disabled={busy} aria-label={`${site.paused ? 'Resume' : 'Pause'} ${site.origin}`}>
            {site.paused ? 'Resume' : 'Pause'}
          </button>
          <ConfirmAction
            label="Revoke"
            ariaLabel={`Revoke ${site.origin}`}
            warning={`${site.origin} stops being paid at once: its streams stop, and its next payment asks you again. Its open channel stays; close it from Home for the refund.`}
            confirmLabel="Yes, revoke"
            onConfirm={() => onRevoke(site.origin)}
            busy={busy}
          />
        </div>
      </form>
      <form
        aria-label={`Budget for ${site.origin}`}
        onSubmit={(event) => {
          event.preventDefault()
          onBudget(site.origin, { daily, monthly })
        }}
      >
        <Field name="siteDaily" label={`Daily budget for ${site.origin} (USD)`} inputMode="decimal" value={daily} onChange={(e) => setDaily(e.target.value)} hint="Empty for none." />
        <Field name="siteMonthly" label={`Monthly budget for ${site.origin} (USD)`} inputMode="decimal" value={monthly} onChange={(e) => setMonthly(e.target.value)} />
        <button type="submit" disabled={busy} aria-label={`Save budget for ${site.origin}`}>
          Save budget
        </button>
      </form>
      <SiteSignAhead site={site} readerDefault={defaultSignAhead} onSave={onSignAhead} busy={busy} />
    </li>
  )
}
