import { useState } from 'react'
import { ErrorText, Field } from './Field'

export function Unlock({ address, onUnlock, busy, error }: { address: string; onUnlock: (password: string) => void; busy: boolean; error: Error | null }) {
  const [password, setPassword] = useState('')
  return (
    <section className="card" aria-labelledby="unlock-heading">
      <h2 id="unlock-heading">Drip is locked</h2>
      <p className="mono small">{address}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          onUnlock(password)
        }}
      >
        <Field name="password" label="Password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus required />
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
    </section>
  )
}
