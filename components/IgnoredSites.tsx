import { ErrorText } from './Field'

type Props = {
  origins: string[]
  onStopIgnoring: (origin: string) => void
  busy: boolean
  error: Error | null
}

/** Sites the reader told Drip to ignore: they never ask for approval, until the reader stops ignoring one. */
export function IgnoredSites({ origins, onStopIgnoring, busy, error }: Props) {
  if (origins.length === 0 && !error) return null
  return (
    <section className="card" aria-labelledby="ignored-heading">
      <h2 id="ignored-heading">Ignored sites</h2>
      <p className="small">These sites never ask you to approve them. Drip pays them nothing.</p>
      <ul className="list" data-testid="ignored-sites">
        {origins.map((origin) => (
          <li key={origin} className="row">
            <span className="origin">{origin}</span>
            <button type="button" onClick={() => onStopIgnoring(origin)} disabled={busy} aria-label={`Stop ignoring ${origin}`}>
              Stop ignoring
            </button>
          </li>
        ))}
      </ul>
      <ErrorText error={error} />
    </section>
  )
}
