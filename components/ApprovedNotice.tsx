/**
 * Right after an approval: streams and paywalled links waiting on the site
 * carry on by themselves; a page whose own request already got the 402 can
 * be reloaded from here in one click.
 */
type Props = { origin: string; onReload: () => void; reloaded: number | undefined; busy: boolean; onDismiss: () => void }

export function ApprovedNotice({ origin, onReload, reloaded, busy, onDismiss }: Props) {
  return (
    <section className="card" aria-label={`Approved ${origin}`} data-testid="approved-notice">
      <p>
        Approved <strong>{origin}</strong>. Streams and paid links waiting on its pages carry on by themselves.
        {reloaded === undefined ? ' A page that already showed its 402 needs a reload:' : ` Reloaded ${reloaded} ${reloaded === 1 ? 'tab' : 'tabs'}.`}
      </p>
      <div className="actions">
        {reloaded === undefined && (
          <button type="button" onClick={onReload} disabled={busy}>
            Reload {origin}'s tabs
          </button>
        )}
        <button type="button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </section>
  )
}
