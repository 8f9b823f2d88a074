import { ErrorText } from './Field'

type Props = {
  onFind: () => void
  found: { onChain: number; recovered: number; network: string } | undefined
  busy: boolean
  error: Error | null
}

/** Settings' "Find my channels": channels of this account on chain that Drip has no record of (another browser, a reset). */
export function FindChannels({ onFind, found, busy, error }: Props) {
  return (
    <section className="card" aria-labelledby="find-heading">
      <h2 id="find-heading">Channels on chain</h2>
      <p className="small">Used this account in another browser, or reset Drip? Find its channels that still hold a deposit, and force close them to get the unspent part back.</p>
      <button type="button" onClick={onFind} disabled={busy}>
        {busy ? 'Searching…' : 'Find my channels'}
      </button>
      {found && (
        <p role="status" data-testid="found-channels">
          {found.recovered === 0
            ? `No unknown channels on ${found.network} (${found.onChain} opened by this account in all).`
            : `Found ${found.recovered} channel${found.recovered === 1 ? '' : 's'} on ${found.network}: see Home.`}
        </p>
      )}
      <ErrorText error={error} />
    </section>
  )
}
