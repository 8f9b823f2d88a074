import { BudgetsCard, limitsFrom } from '@/components/BudgetsCard'
import { FindChannels } from '@/components/FindChannels'
import { SettingsPanel } from '@/components/SettingsPanel'
import { parseDollars } from '@/lib/shared/amounts'
import { send, useAction, useRead } from '../api'

/** Budgets, Find my channels, then the reader's defaults and networks; the risky ones last: the recovery phrase and key (behind the password), lock and reset. */
export function Settings() {
  const settings = useRead('settings.get')
  const budgets = useRead('budgets.get')
  const setBudgets = useAction('budgets.set')
  const find = useAction('channels.find')
  const networks = useRead('network.list')
  const save = useAction('settings.set')
  const select = useAction('network.select')
  const toggle = useAction('network.setEnabled')
  const setRpcUrl = useAction('network.setRpcUrl')
  const lock = useAction('wallet.lock')
  const reset = useAction('wallet.reset')
  if (!settings.data || !networks.data) return <p role="status">Loading…</p>
  return (
    <>
      {budgets.data && (
        <BudgetsCard
          budgets={budgets.data}
          onSave={({ daily, monthly, notify }) => setBudgets.mutate(() => ({ overall: limitsFrom({ daily, monthly }, parseDollars), notify }))}
          busy={setBudgets.isPending}
          error={setBudgets.error ?? budgets.error}
        />
      )}
      <FindChannels onFind={() => find.mutate()} found={find.data} busy={find.isPending} error={find.error} />
      <SettingsPanel
        settings={settings.data}
        networks={networks.data}
        onSave={(input) =>
          save.mutate(() => ({
            ...input,
            defaultCap: parseDollars(input.defaultCap, 'What a new site may spend').toString(),
            defaultPerPaymentLimit: parseDollars(input.defaultPerPaymentLimit, 'The limit for a single payment').toString(),
            signAhead: parseDollars(input.signAhead, 'Paying streams ahead').toString(),
          }))
        }
        onSelectNetwork={(networkId) => select.mutate({ networkId })}
        onToggleNetwork={(networkId, enabled) => toggle.mutate({ networkId, enabled })}
        onSetRpcUrl={(networkId, rpcUrl) => setRpcUrl.mutate({ networkId, rpcUrl })}
        onReveal={async (password, secret) =>
          secret === 'phrase' ? (await send('wallet.exportPhrase', { password })).recoveryPhrase : (await send('wallet.export', { password })).privateKey
        }
        onLock={() => lock.mutate()}
        onReset={(confirmation) => reset.mutate({ confirmation })}
        busy={save.isPending || select.isPending || toggle.isPending || setRpcUrl.isPending || reset.isPending}
        error={save.error ?? select.error ?? toggle.error ?? setRpcUrl.error ?? reset.error}
      />
    </>
  )
}
