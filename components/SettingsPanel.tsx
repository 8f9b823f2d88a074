import { useState } from 'react'
import type { NetworkId, NetworkSetting, SettingsView } from '@/lib/protocol/views'
import { toDollars } from '@/lib/shared/amounts'
import { ErrorText, Field } from './Field'
import { type Secret, RevealSecrets } from './RevealSecrets'
import { RpcUrlForm } from './RpcUrlForm'
import { useDraft } from './useDraft'

type Props = {
  settings: SettingsView
  networks: NetworkSetting[]
  onSave: (input: { autoLockMinutes: number; defaultCap: string; defaultPerPaymentLimit: string; depositUnits: number; signAhead: string }) => void
  onSelectNetwork: (id: NetworkId) => void
  onToggleNetwork: (id: NetworkId, enabled: boolean) => void
  onSetRpcUrl: (id: NetworkId, rpcUrl: string) => void
  onReveal: (password: string, secret: Secret) => Promise<string>
  onLock: () => void
  onReset: (confirmation: string) => void
  busy: boolean
  error: Error | null
}

export function SettingsPanel(props: Props) {
  const { settings, networks, busy, error } = props
  const [autoLock, setAutoLock] = useDraft(String(settings.autoLockMinutes))
  const [defaultCap, setDefaultCap] = useDraft(toDollars(settings.defaultCap))
  const [defaultLimit, setDefaultLimit] = useDraft(toDollars(settings.defaultPerPaymentLimit))
  const [signAhead, setSignAhead] = useDraft(toDollars(settings.signAhead))
  const [depositUnits, setDepositUnits] = useDraft(String(settings.depositUnits))

  return (
    <>
      <section className="card" aria-labelledby="limits-heading">
        <h2 id="limits-heading">Limits</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault()
            props.onSave({ autoLockMinutes: Number(autoLock), defaultCap, defaultPerPaymentLimit: defaultLimit, depositUnits: Number(depositUnits), signAhead })
          }}
        >
          <Field name="autoLockMinutes" label="Auto-lock after (minutes)" inputMode="numeric" value={autoLock} onChange={(e) => setAutoLock(e.target.value)} />
          <Field
            name="defaultCap"
            label="A new site may spend up to (USD)"
            inputMode="decimal"
            value={defaultCap}
            onChange={(e) => setDefaultCap(e.target.value)}
            hint="What a site's request is pre-filled with; you can change it when you approve."
          />
          <Field
            name="defaultPerPaymentLimit"
            label="No single payment above (USD)"
            inputMode="decimal"
            value={defaultLimit}
            onChange={(e) => setDefaultLimit(e.target.value)}
            hint="A payment above this asks you again, even on a site you approved."
          />
          <Field
            name="signAhead"
            label="Pay streams ahead by up to (USD)"
            inputMode="decimal"
            value={signAhead}
            onChange={(e) => setSignAhead(e.target.value)}
            hint="Reading is faster when Drip pays a little before the words arrive: $0.01 is ten words at $0.001, or one photo at $0.01. A dishonest site could keep at most this much without delivering; 0 pays exactly as words arrive."
          />
          <details>
            <summary>Advanced</summary>
            <Field
              name="depositUnits"
              label="Deposit step (units, 0 for automatic)"
              inputMode="numeric"
              value={depositUnits}
              onChange={(e) => setDepositUnits(e.target.value)}
              hint="Automatic: a site's channel opens with half of what the site may spend (or the site's suggestion, if more) and tops up once with the rest, so a visit takes at most two transactions. A number deposits that many units at a time instead. Unused deposit is refunded when the channel closes."
            />
          </details>
          <button type="submit" disabled={busy}>
            Save limits
          </button>
        </form>
        <ErrorText error={error} />
      </section>

      <section className="card" aria-labelledby="networks-heading">
        <h2 id="networks-heading">Networks</h2>
        {networks.map((network) => (
          <div key={network.id} className="network" data-testid={`network-${network.id}`}>
            <div className="row">
              <label className="inline">
                <input type="checkbox" checked={network.enabled} onChange={(e) => props.onToggleNetwork(network.id, e.target.checked)} />
                {network.name} <span className="small">(chain {network.chainId})</span>
              </label>
              {network.enabled && !network.active && (
                <button type="button" onClick={() => props.onSelectNetwork(network.id)}>
                  Use
                </button>
              )}
              {network.active && <span className="badge">active</span>}
            </div>
            <RpcUrlForm networkName={network.name} rpcUrl={network.rpcUrl} saving={busy} error={undefined} onSave={(rpcUrl) => props.onSetRpcUrl(network.id, rpcUrl)} />
          </div>
        ))}
      </section>

      <RevealSecrets onReveal={props.onReveal} />

      <section className="card" aria-labelledby="danger-heading">
        <h2 id="danger-heading">Lock and reset</h2>
        <button type="button" onClick={props.onLock}>
          Lock now
        </button>
        <ResetWallet onReset={props.onReset} busy={busy} />
      </section>
    </>
  )
}

function ResetWallet({ onReset, busy }: { onReset: (confirmation: string) => void; busy: boolean }) {
  const [confirmation, setConfirmation] = useState('')
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        onReset(confirmation)
      }}
    >
      <Field name="resetConfirmation" label="Type RESET to erase this wallet" value={confirmation} onChange={(e) => setConfirmation(e.target.value)} hint="Write down your recovery phrase (or export your key) first: without it, funds in this account are lost." />
      <button type="submit" className="danger" disabled={busy || confirmation !== 'RESET'}>
        Reset wallet
      </button>
    </form>
  )
}
