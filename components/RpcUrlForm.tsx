import { useId } from 'react'
import { useDraft } from './useDraft'

type Props = {
  networkName: string
  rpcUrl: string
  saving: boolean
  error: string | undefined
  onSave: (rpcUrl: string) => void
}

/** Lets the user point a network at another RPC. An empty field restores the default. */
export function RpcUrlForm({ networkName, rpcUrl, saving, error, onSave }: Props) {
  const id = useId()
  const [draft, setDraft] = useDraft(rpcUrl)
  return (
    <form
      className="rpc-form"
      aria-label={`${networkName} RPC`}
      onSubmit={(event) => {
        event.preventDefault()
        onSave(draft)
      }}
    >
      <label htmlFor={id}>{networkName} RPC URL</label>
      <div className="row">
        <input id={id} name="rpcUrl" type="url" value={draft} onChange={(event) => setDraft(event.target.value)} placeholder="http://127.0.0.1:8545" />
        <button type="submit" disabled={saving} aria-label={`Save the ${networkName} RPC URL`}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  )
}
