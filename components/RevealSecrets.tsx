import { useState } from 'react'
import { ErrorText, Field } from './Field'

export type Secret = 'phrase' | 'key'

const words: Record<Secret, { show: string; warning: string; testId: string }> = {
  phrase: { show: 'Show recovery phrase', warning: 'Anyone with these words controls your funds. Write them down; never type them into a website.', testId: 'recovery-phrase' },
  key: { show: 'Show private key', warning: 'Anyone with this key controls your funds. Do not share it.', testId: 'private-key' },
}

/** The recovery phrase or the private key again, each behind the password (as MetaMask shows them); hidden again with one click. */
export function RevealSecrets({ onReveal }: { onReveal: (password: string, secret: Secret) => Promise<string> }) {
  const [password, setPassword] = useState('')
  const [revealed, setRevealed] = useState<{ secret: Secret; text: string }>()
  const [error, setError] = useState<Error | null>(null)
  const reveal = async (secret: Secret) => {
    setError(null)
    try {
      setRevealed({ secret, text: await onReveal(password, secret) })
      setPassword('')
    } catch (caught) {
      setError(caught as Error)
    }
  }
  return (
    <section className="card" aria-labelledby="secrets-heading">
      <h2 id="secrets-heading">Recovery phrase and private key</h2>
      {revealed ? (
        <>
          <p className="small">{words[revealed.secret].warning}</p>
          <p className="mono small secret" data-testid={words[revealed.secret].testId}>
            {revealed.text}
          </p>
          <button type="button" onClick={() => setRevealed(undefined)}>
            Hide
          </button>
        </>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault()
            void reveal('phrase')
          }}
        >
          <Field name="revealPassword" label="Password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          <div className="row">
            <button type="submit">{words.phrase.show}</button>
            <button type="button" onClick={() => void reveal('key')} disabled={password === ''}>
              {words.key.show}
            </button>
          </div>
          <ErrorText error={error} />
        </form>
      )}
    </section>
  )
}
