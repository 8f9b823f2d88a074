import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { ErrorText } from '@/components/Field'
import { Onboarding } from '@/components/Onboarding'
import { PinTip } from '@/components/PinTip'
import { RecoveryPhrase } from '@/components/RecoveryPhrase'
import { SiteSpend } from '@/components/SiteSpend'
import { Unlock } from '@/components/Unlock'
import { useActiveSite } from './activeSite'
import { send, useAction, useRead } from './api'
import { useStorageFollow } from './storageFollow'
import { Activity } from './screens/Activity'
import { Home } from './screens/Home'
import { Settings } from './screens/Settings'
import { Sites } from './screens/Sites'

type Tab = 'home' | 'sites' | 'activity' | 'settings'

/** The popup's router: onboarding, unlock or the wallet's four screens (`screens/`), under a header with the current tab's spend. */
export function App() {
  useStorageFollow()
  const status = useRead('wallet.status')
  const create = useAction('wallet.create')
  const importKey = useAction('wallet.import')
  const unlock = useAction('wallet.unlock')
  /** The phrase of the account just created, until the reader confirms it. */
  const [phrase, setPhrase] = useState<string | undefined>()
  /** An account was just created or restored: onboarding ends with pinning Drip. */
  const [pinTip, setPinTip] = useState(false)

  return (
    <main className="popup">
      <header className="popup-header">
        <h1>Drip</h1>
        {status.data?.state === 'unlocked' && <ActiveSiteSpend />}
      </header>
      {status.error && <ErrorText error={status.error} />}
      {status.data?.state === 'empty' && (
        <Onboarding
          onCreate={(password) => create.mutate({ password }, { onSuccess: (created) => setPhrase(created.recoveryPhrase) })}
          onImport={(privateKey, password) => importKey.mutate({ privateKey, password }, { onSuccess: () => setPinTip(true) })}
          busy={create.isPending || importKey.isPending}
          error={create.error ?? importKey.error}
        />
      )}
      {status.data?.state === 'locked' && (
        <Unlock address={status.data.address} onUnlock={(password) => unlock.mutate({ password })} busy={unlock.isPending} error={unlock.error} />
      )}
      {status.data?.state === 'unlocked' && phrase && (
        <RecoveryPhrase
          phrase={phrase}
          onConfirmed={() => {
            setPhrase(undefined)
            setPinTip(true)
          }}
        />
      )}
      {status.data?.state === 'unlocked' && !phrase && pinTip && <PinTip onDismiss={() => setPinTip(false)} />}
      {status.data?.state === 'unlocked' && !phrase && <Wallet />}
      {!status.data && !status.error && <p role="status">Loading…</p>}
    </main>
  )
}

/** What the site of the tab under the popup has cost, in this tab and in all (`SiteSpend`). */
function ActiveSiteSpend() {
  const tab = useActiveSite()
  const sites = useRead('approvals.list')
  const budgets = useRead('budgets.get')
  const inTab = useQuery({
    queryKey: ['spend.tab', tab.data?.tabId, tab.data?.origin],
    queryFn: () => send('spend.tab', { tabId: tab.data!.tabId, origin: tab.data!.origin }),
    enabled: Boolean(tab.data),
    refetchInterval: 2_000,
  })
  return <SiteSpend origin={tab.data?.origin} inTab={inTab.data?.amount} sites={sites.data} budgets={budgets.data} />
}

function Wallet() {
  const [tab, setTab] = useState<Tab>('home')
  const pending = useRead('approvals.pending')
  return (
    <>
      <nav className="tabs" aria-label="Sections">
        {(['home', 'sites', 'activity', 'settings'] as const).map((name) => (
          <button key={name} type="button" aria-current={tab === name ? 'page' : undefined} onClick={() => setTab(name)}>
            {name === 'home' ? `Home${pending.data?.length ? ` (${pending.data.length})` : ''}` : name[0]!.toUpperCase() + name.slice(1)}
          </button>
        ))}
      </nav>
      {tab === 'home' && <Home />}
      {tab === 'sites' && <Sites />}
      {tab === 'activity' && <Activity />}
      {tab === 'settings' && <Settings />}
    </>
  )
}
