import { useState } from 'react'
import type { PendingView, TermsView } from '@/lib/protocol/views'
import { formatDollars as usd, parseDollars, toDollars } from '@/lib/shared/amounts'
import { oneTimeUnit } from '@/lib/payments/units'
import { ErrorText, Field } from './Field'

type Props = {
  pending: PendingView[]
  /** Dollars as typed; `terms` are the ones shown, so approve fails if the site changed them. */
  onApprove: (input: { origin: string; terms: TermsView; maxDeposit: string; perPaymentLimit: string; also: TermsView[] }) => void
  /** `always`: ignore the site from now on instead of denying it for this browser session. */
  onDeny: (origin: string, always: boolean) => void
  busy: boolean
  error: Error | null
}

/**
 * Sites whose 402 is waiting for the reader: what they ask, and one
 * question ("let the site spend up to $X") with one limit beside it ("no
 * single payment above $Y"), Deny (this browser session) or Ignore this site (until the reader stops ignoring it under Sites).
 */
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
  const [perPaymentLimit, setPerPaymentLimit] = useState(toDollars(request.suggestedPerPaymentLimit))
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
          perPaymentLimit,
          also: request.also,
        })
      }}
    >
      <h3 className="site">{request.origin}</h3>
      {request.reason && (
        <p className="small" data-testid="pending-reason">
          {request.reason}
        </p>
      )}
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
          <dt>Paid to</dt>
          <dd className="small">
            <span className="mono" title={request.recipient} data-testid="recipient">
              {shortAddress(request.recipient)}
            </span>{' '}
            <CopyButton text={request.recipient} label={`Copy the address ${request.origin} asks to be paid to`} />
          </dd>
        </div>
        <div className="fact">
          <dt>Currency</dt>
          <dd className="small" title={request.currency}>
            {request.currencyLabel}
          </dd>
        </div>
        <div className="fact">
          <dt>Network</dt>
          <dd title={`Chain ID ${request.chainId}`} data-testid="chain-name">
            {request.chainName}
          </dd>
        </div>
      </dl>
      {request.also.length > 0 && (
        <div className="small">
          Its pages also asked for:
          <ul>
            {request.also.map((also) => (
              <li key={`${also.unitType}:${also.amount}:${also.resourceOrigin ?? ''}:${also.recipient}`} data-testid="also-waiting">
                {also.unitType === oneTimeUnit ? `a one-time payment of ${usd(BigInt(also.amount))}` : `${usd(BigInt(also.amount))} per ${also.unitType}`}
                {also.resourceOrigin ? `, paid to ${also.resourceOrigin}, another site this page calls` : ''}
                {also.recipient.toLowerCase() !== request.recipient.toLowerCase() ? `, to another address (${shortAddress(also.recipient)})` : ''}
              </li>
            ))}
          </ul>
          Approve covers each that fits the figures below.
        </div>
      )}
      <Field
        name="maxDeposit"
        label={`Let ${request.origin} spend up to (USD)`}
        inputMode="decimal"
        value={maxDeposit}
        onChange={(e) => setMaxDeposit(e.target.value)}
        hint={`Everything it charges counts: every word, photo and one-time payment${buys(maxDeposit, request)}. What a channel does not spend is refunded when it closes.`}
        required
      />
      <Field
        name="perPaymentLimit"
        label="No single payment above (USD)"
        inputMode="decimal"
        value={perPaymentLimit}
        onChange={(e) => setPerPaymentLimit(e.target.value)}
        hint="Anything dearer asks you again."
        required
      />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Approve
        </button>
        <button type="button" onClick={() => onDeny(request.origin, false)} disabled={busy} title="Refuse it until the browser restarts">
          Deny
        </button>
        <button type="button" className="link" onClick={() => onDeny(request.origin, true)} disabled={busy} title="It never asks again; undo under Sites">
          Ignore this site
        </button>
      </div>
    </form>
  )
}

/** What the typed cap buys at the price seen: ", 5,000 words at this price" (nothing while the input is not an amount). */
function buys(maxDeposit: string, request: PendingView): string {
  if (request.unitType === oneTimeUnit) return ''
  try {
    const units = parseDollars(maxDeposit, 'The most it may spend') / BigInt(request.amount)
    return `; ${units.toLocaleString('en-US')} ${request.unitType}${units === 1n ? '' : 's'} at this price`
  } catch {
    return ''
  }
}

/** "0x7099…79C8": enough to compare with what the site shows; the whole address is in its title and copied by the button beside it. */
function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <button
      type="button"
      className="link"
      aria-label={label}
      onClick={() => void navigator.clipboard.writeText(text).then(() => setCopied(true), () => setCopied(false))}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  )
}
