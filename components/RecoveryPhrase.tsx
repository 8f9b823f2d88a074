import { type FormEvent, useMemo, useState } from 'react'
import { ErrorText, Field } from './Field'

/**
 * The new account's recovery phrase, shown once, then confirmed as
 * MetaMask does: the reader types two of its words back. Drip keeps only
 * the encrypted key; the phrase is the reader's to keep.
 */
export function RecoveryPhrase({ phrase, onConfirmed }: { phrase: string; onConfirmed: () => void }) {
  const words = phrase.split(' ')
  const [step, setStep] = useState<'show' | 'confirm'>('show')
  const asked = useMemo(() => pickTwo(words.length), [words.length])
  const [answers, setAnswers] = useState(['', ''])
  const [error, setError] = useState<Error | null>(null)

  if (step === 'show')
    return (
      <section className="card" aria-labelledby="phrase-heading">
        <h2 id="phrase-heading">Your recovery phrase</h2>
        <p>Write these {words.length} words down, in order, and keep them offline. They restore this account and its channels in any browser. Drip will not show them again.</p>
        <ol className="phrase" data-testid="recovery-phrase">
          {words.map((word, index) => (
            <li key={index}>{word}</li>
          ))}
        </ol>
        <button type="button" className="primary" onClick={() => setStep('confirm')}>
          I wrote it down
        </button>
      </section>
    )

  function submit(event: FormEvent) {
    event.preventDefault()
    const wrong = asked.filter((position, i) => answers[i]!.trim().toLowerCase() !== words[position])
    if (wrong.length) return setError(new Error(`Word ${wrong.map((p) => p + 1).join(' and ')} ${wrong.length === 1 ? 'does' : 'do'} not match. Check what you wrote down.`))
    onConfirmed()
  }

  return (
    <section className="card" aria-labelledby="phrase-confirm-heading">
      <h2 id="phrase-confirm-heading">Confirm your recovery phrase</h2>
      <form onSubmit={submit}>
        {asked.map((position, i) => (
          <Field
            key={position}
            name={`word${position + 1}`}
            label={`Word ${position + 1}`}
            autoComplete="off"
            value={answers[i]}
            onChange={(e) => setAnswers(answers.map((a, j) => (j === i ? e.target.value : a)))}
            required
          />
        ))}
        <ErrorText error={error} />
        <div className="row">
          <button type="submit" className="primary">
            Confirm
          </button>
          <button type="button" onClick={() => setStep('show')}>
            Show the words again
          </button>
        </div>
      </form>
    </section>
  )
}

/** Two different word positions, in order. */
function pickTwo(count: number): [number, number] {
  const first = Math.floor(Math.random() * count)
  const second = (first + 1 + Math.floor(Math.random() * (count - 1))) % count
  return first < second ? [first, second] : [second, first]
}
