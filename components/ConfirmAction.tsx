import { type ReactNode, useState } from 'react'

type Props = {
  /** The button as it first shows ("Revoke"). */
  label: string
  /** Its accessible name, naming what it acts on ("Revoke https://a.example"). */
  ariaLabel: string
  /** What happens, in the reader's words, shown before anything is done. */
  warning: ReactNode
  /** The button that does it ("Yes, revoke"). */
  confirmLabel: string
  onConfirm: () => void
  busy: boolean
  title?: string
}

/** A destructive action that asks first: red, then a warning with "Yes, …" and Cancel; nothing happens until the reader says yes. */
export function ConfirmAction({ label, ariaLabel, warning, confirmLabel, onConfirm, busy, title }: Props) {
  const [confirming, setConfirming] = useState(false)
  if (!confirming)
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)} disabled={busy} title={title} aria-label={ariaLabel}>
        {label}
      </button>
    )
  return (
    <div className="confirm" role="group" aria-label={`${ariaLabel}?`}>
      <p className="small">{warning}</p>
      <div className="row">
        <button type="button" className="danger" onClick={() => (setConfirming(false), onConfirm())} disabled={busy}>
          {confirmLabel}
        </button>
        <button type="button" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </div>
    </div>
  )
}
