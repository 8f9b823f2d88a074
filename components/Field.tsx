import { useId, type InputHTMLAttributes } from 'react'

/** A labelled input: every control in the popup has a visible label. */
export function Field({ label, hint, ...input }: { label: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} {...input} aria-describedby={hint ? `${id}-hint` : undefined} />
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
    </div>
  )
}

/** An error in words, announced to screen readers. */
export function ErrorText({ error }: { error: Error | null | undefined }) {
  if (!error) return null
  return (
    <p role="alert" className="error">
      {error.message}
    </p>
  )
}
