import { type FormEvent, useState } from 'react'
import { ErrorText, Field } from './Field'

type Props = {
  onCreate: (password: string) => void
  onImport: (privateKey: string, password: string) => void
  busy: boolean
  error: Error | null
}

/** First run: create a new account (from a new recovery phrase) or import one from its phrase or private key, protected by a password. */
export function Onboarding({ onCreate, onImport, busy, error }: Props) {
  const [mode, setMode] = useState<'create' | 'import'>('create')
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [privateKey, setPrivateKey] = useState('')
  const [mismatch, setMismatch] = useState(false)

  function submit(event: FormEvent) {
    event.preventDefault()
    if (password !== confirm) return setMismatch(true)
    setMismatch(false)
    if (mode === 'create') onCreate(password)
    else onImport(privateKey, password)
  }

  return (
    <section className="card" aria-labelledby="onboarding-heading">
      <h2 id="onboarding-heading">Welcome to Drip</h2>
      <p>Drip pays paywalled pages and streams for you, within limits you approve per site.</p>
      <div className="segmented" role="group" aria-label="How to start">
        <button type="button" aria-pressed={mode === 'create'} onClick={() => setMode('create')}>
          New account
        </button>
        <button type="button" aria-pressed={mode === 'import'} onClick={() => setMode('import')}>
          Existing account
        </button>
      </div>
      <form onSubmit={submit}>
        {mode === 'import' && (
          <Field
            name="privateKey"
            label="Recovery phrase or private key"
            type="password"
            autoComplete="off"
            value={privateKey}
            onChange={(e) => setPrivateKey(e.target.value)}
            hint="12 or 24 words separated by spaces, or a 64-character hex key."
            required
          />
        )}
        <Field name="password" label="Password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} hint="At least 8 characters. It encrypts your key on this device." required />
        <Field name="confirm" label="Confirm password" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required />
        {mismatch && (
          <p role="alert" className="error">
            The passwords do not match.
          </p>
        )}
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Encrypting…' : mode === 'create' ? 'Create account' : 'Import account'}
        </button>
      </form>
    </section>
  )
}
