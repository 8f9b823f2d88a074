import { useState } from 'react'
import type { PendingView, TermsView } from '@/lib/protocol/views'
import { formatDollars as usd, parseDollars, toDollars } from '@/lib/shared/amounts'
import { oneTimeUnit } from '@/lib/payments/units'
import { ErrorText, Field } from './Field'

type Props = {
  pending: PendingView[]
  /** Dollars as typed; `terms` are the ones shown, so approve fails if the site changed them. */
  onApprove: (input: { origin: string; terms: TermsView; maxDeposit: string; priceCeiling?: string }) => void
  onDeny: (origin: string) => void
  busy: boolean
  error: Error | null
}

/** Sites whose 402 is waiting for the user: what they ask, and Approve with a max deposit, or Deny. */
export function PendingList({ pending, onApprove, onDeny, busy, error }: Props) {
  if (pending.length === 0) return null
  return (
    <section className="card attention" aria-labelledby="pending-heading">
      <h2 id="pending-heading">Waiting for approval ({pending.length})</h2>
      {pending.map((request) => (
        <PendingRequest key={request.origin} request={request} onApprove={onApprove} onDeny={onDeny} busy={busy} />
      ))}
      <ErrorText error={error} />
    </section>
  )
}

function PendingRequest({ request, onApprove, onDeny, busy }: { request: PendingView } & Pick<Props, 'onApprove' | 'onDeny' | 'busy'>) {
  const [maxDeposit, setMaxDeposit] = useState(toDollars(request.suggestedMaxDeposit))
  const [priceCeiling, setPriceCeiling] = useState('')
  return (
    <form
      className="pending"
      data-testid="pending-request"
      aria-label={`Payment request from ${request.origin}`}
      onSubmit={(event) => {
        event.preventDefault()
        onApprove({
          origin: request.origin,
          terms: {
            amount: request.amount,
            unitType: request.unitType,
            recipient: request.recipient,
            currency: request.currency,
            chainId: request.chainId,
            ...(request.resourceOrigin ? { resourceOrigin: request.resourceOrigin } : {}),
          },
          maxDeposit,
          priceCeiling: priceCeiling || undefined,
        })
      }}
    >
      <h3 className="site">{request.origin}</h3>
      <dl className="facts">
        {request.resourceOrigin && (
          <div className="fact">
            <dt>Pays API</dt>
            <dd data-testid="api-origin">{request.resourceOrigin}, another site this page calls</dd>
          </div>
        )}
        <div className="fact">
          <dt>Price</dt>
          <dd>{request.unitType === oneTimeUnit ? `One-time payment of ${usd(BigInt(request.amount))}` : `${usd(BigInt(request.amount))} per ${request.unitType}`}</dd>
        </div>
        <div className="fact">
          <dt>Recipient</dt>
          <dd className="mono small">{request.recipient}</dd>
        </div>
        <div className="fact">
          <dt>Currency</dt>
          <dd className="small" title={request.currency}>
            {request.currencyLabel}
          </dd>
        </div>
        <div className="fact">
          <dt>Chain</dt>
          <dd>{request.chainId}</dd>
        </div>
        <div className="fact">
          <dt>Suggested deposit</dt>
          <dd>{request.suggestedDeposit ? usd(BigInt(request.suggestedDeposit)) : '—'}</dd>
        </div>
      </dl>
      <Field
        name="maxDeposit"
        label="Max deposit (USD)"
        inputMode="decimal"
        value={maxDeposit}
        onChange={(e) => setMaxDeposit(e.target.value)}
        hint={`The most this site can ever take${buys(maxDeposit, request)}. Unused deposit is refunded when the channel closes.`}
        required
      />
      <Field name="priceCeiling" label="Price ceiling per unit (optional)" inputMode="decimal" value={priceCeiling} onChange={(e) => setPriceCeiling(e.target.value)} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Approve
        </button>
        <button type="button" onClick={() => onDeny(request.origin)} disabled={busy}>
          Deny
        </button>
      </div>
    </form>
  )
}

/** What the typed max deposit buys at the site's price: ", enough for 100 words" (nothing while the input is not an amount). */
function buys(maxDeposit: string, request: PendingView): string {
  if (request.unitType === oneTimeUnit) return ''
  try {
    const units = parseDollars(maxDeposit, 'Max deposit') / BigInt(request.amount)
    return `, enough for ${units.toLocaleString('en-US')} ${request.unitType}${units === 1n ? '' : 's'}`
  } catch {
    return ''
  }
}
