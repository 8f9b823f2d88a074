import { useState } from 'react'
import type { SiteView } from '@/lib/protocol/views'
import { formatDollars as usd } from '@/lib/shared/amounts'
import { priceText } from '@/lib/payments/units'
import { ErrorText, Field } from './Field'

type Props = {
  sites: SiteView[]
  onRevoke: (origin: string) => void
  onRaise: (origin: string, maxDeposit: string) => void
  busy: boolean
  error: Error | null
}

/** Approved sites: what each may spend, what it has, a new max deposit, and Revoke. */
export function SiteList({ sites, onRevoke, onRaise, busy, error }: Props) {
  return (
    <section className="card" aria-labelledby="sites-heading">
      <h2 id="sites-heading">Sites</h2>
      {sites.length === 0 && <p className="small">No approved sites yet. Visit a paywalled page and approve it here.</p>}
      <ul className="list">
        {sites.map((site) => (
          <Site key={site.origin} site={site} onRevoke={onRevoke} onRaise={onRaise} busy={busy} />
        ))}
      </ul>
      <ErrorText error={error} />
    </section>
  )
}

function Site({ site, onRevoke, onRaise, busy }: { site: SiteView } & Pick<Props, 'onRevoke' | 'onRaise' | 'busy'>) {
  const [maxDeposit, setMaxDeposit] = useState('')
  return (
    <li data-testid="site">
      <div className="site">{site.origin}</div>
      <div className="small">
        {site.prices.map(({ unitType, price }) => priceText(price, unitType)).join(', ')} · spent {usd(site.spent)} of {usd(site.maxDeposit)}
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
          <button type="submit" disabled={busy}>
            Change
          </button>
          <button type="button" onClick={() => onRevoke(site.origin)} disabled={busy} aria-label={`Revoke ${site.origin}`}>
            Revoke
          </button>
        </div>
      </form>
    </li>
  )
}
