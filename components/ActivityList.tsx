import type { ActivityView as Entry } from '@/lib/protocol/views'
import { formatDollars as usd } from '@/lib/shared/amounts'

const labels: Record<Entry['kind'], string> = {
  open: 'Opened channel',
  voucher: 'Paid',
  topUp: 'Topped up',
  charge: 'Paid once',
  budget: 'Budget alert',
  receipt: 'Receipt',
  close: 'Closed channel',
  requestClose: 'Force close started',
  withdraw: 'Withdrew',
  refused: 'Refused',
  approved: 'Approved',
  revoked: 'Revoked',
  denied: 'Denied',
  price: 'New price',
}

/** Everything Drip did, newest first, and the whole history as a CSV file. */
export function ActivityList({ entries, onExport }: { entries: Entry[]; onExport: () => void }) {
  return (
    <section className="card" aria-labelledby="activity-heading">
      <h2 id="activity-heading">Activity</h2>
      {entries.length === 0 && <p className="small">Nothing yet.</p>}
      {entries.length > 0 && (
        <button type="button" onClick={onExport}>
          Export history (CSV)
        </button>
      )}
      <ol className="list activity">
        {entries.map((entry, index) => (
          <li key={`${entry.at}-${index}`} data-kind={entry.kind}>
            <div>
              <strong>{labels[entry.kind]}</strong> <span className="small">{entry.origin}</span>
            </div>
            <div className="small">
              {new Date(entry.at).toLocaleTimeString()}
              {entry.kind === 'voucher' && entry.cumulative ? ` · ${usd(BigInt(entry.amount ?? '0'))}, total ${usd(BigInt(entry.cumulative))}` : ''}
              {entry.detail ? ` · ${entry.detail}` : ''}
            </div>
          </li>
        ))}
      </ol>
    </section>
  )
}
