import { useEffect, useState } from 'react'

type Props = {
  networkName: string
  rpcUrl: string
  saving: boolean
  error: string | undefined
  onSave: (rpcUrl: string) => void
}

/** Lets the user point a network at another RPC. An empty field restores the default. */
export function RpcUrlForm({ networkName, rpcUrl, saving, error, onSave }: Props) {
  const [draft, setDraft] = useState(rpcUrl)
  useEffect(() => setDraft(rpcUrl), [rpcUrl])
  return (
    <form
      className="card"
      onSubmit={(event) => {
        event.preventDefault()
        onSave(draft)
      }}
    >
      <label htmlFor="rpc-url-input">{networkName} RPC URL</label>
      <div className="row">
        <input
          id="rpc-url-input"
          type="url"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          placeholder="http://127.0.0.1:8545"
        />
        <button type="submit" disabled={saving}>
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
