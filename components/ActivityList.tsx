import { activityLines } from '@/lib/payments/activityLines'
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

/** Everything Drip did, newest first, one line per payment (a site's receipt marks its payment confirmed), and the whole history as a CSV file. */
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
        {activityLines(entries).map((entry, index) => (
          <li key={`${entry.at}-${index}`} data-kind={entry.kind} data-confirmed={entry.confirmed ? 'true' : undefined}>
            <div>
              <strong>{entry.kind === 'voucher' ? `Paid ${usd(BigInt(entry.amount ?? '0'))}` : labels[entry.kind]}</strong> <span className="small">{entry.origin}</span>
            </div>
            <div className="small">
              {new Date(entry.at).toLocaleTimeString()}
              {entry.detail ? ` · ${entry.detail}` : ''}
              {entry.kind === 'voucher' && entry.cumulative ? ` · ${usd(BigInt(entry.cumulative))} on this channel so far` : ''}
              {entry.confirmed ? ' · confirmed by the site' : ''}
            </div>
          </li>
        ))}
      </ol>
    </section>
  )
}
