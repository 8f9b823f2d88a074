import type { SiteView } from '@/lib/messaging'
import { usd } from '@/lib/policy'

/** Approved sites: what each may spend, what it has, and Revoke. */
export function SiteList({ sites, onRevoke, busy }: { sites: SiteView[]; onRevoke: (origin: string) => void; busy: boolean }) {
  return (
    <section className="card" aria-labelledby="sites-heading">
      <h2 id="sites-heading">Sites</h2>
      {sites.length === 0 && <p className="small">No approved sites yet. Visit a paywalled page and approve it here.</p>}
      <ul className="list">
        {sites.map((site) => (
          <li key={site.origin} data-testid="site">
            <div className="site">{site.origin}</div>
            <div className="small">
              {usd(BigInt(site.price))} per {site.unitType} · spent {usd(BigInt(site.spent))} of {usd(BigInt(site.maxDeposit))}
            </div>
            <button type="button" onClick={() => onRevoke(site.origin)} disabled={busy} aria-label={`Revoke ${site.origin}`}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
