import { useState } from 'react'
import { ApprovedNotice } from '@/components/ApprovedNotice'
import { BudgetAlerts, BudgetsCard, limitsFrom } from '@/components/BudgetsCard'
import { AccountCard } from '@/components/AccountCard'
import { ActivityList } from '@/components/ActivityList'
import { ChannelList } from '@/components/ChannelList'
import { ErrorText } from '@/components/Field'
import { FindChannels } from '@/components/FindChannels'
import { NetworkCard } from '@/components/NetworkCard'
import { Onboarding } from '@/components/Onboarding'
import { PendingList } from '@/components/PendingList'
import { PinTip } from '@/components/PinTip'
import { RecoveryPhrase } from '@/components/RecoveryPhrase'
import { SettingsPanel } from '@/components/SettingsPanel'
import { IgnoredSites } from '@/components/IgnoredSites'
import { SiteList } from '@/components/SiteList'
import { SpendChart } from '@/components/SpendChart'
import { Unlock } from '@/components/Unlock'
import { parseDollars } from '@/lib/shared/amounts'
import { send, useAction, useRead } from './api'

type Tab = 'home' | 'sites' | 'activity' | 'settings'

export function App() {
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

function Home() {
  const overview = useRead('wallet.overview')
  const network = useRead('network.status')
  const pending = useRead('approvals.pending')
  const channels = useRead('channels.list')
  const fund = useAction('wallet.fund')
  const approve = useAction('approvals.approve')
  const deny = useAction('approvals.deny')
  const close = useAction('channels.close')
  const forceClose = useAction('channels.forceClose')
  const withdraw = useAction('channels.withdraw')
  const reloadTabs = useAction('approvals.reloadTabs')
  const budgets = useRead('budgets.get')
  const [approved, setApproved] = useState<string | undefined>()
  const channelBusy = close.isPending || forceClose.isPending || withdraw.isPending

  return (
    <>
      {approved && (
        <ApprovedNotice
          origin={approved}
          onReload={() => reloadTabs.mutate({ origin: approved })}
          reloaded={reloadTabs.data?.reloaded}
          busy={reloadTabs.isPending}
          onDismiss={() => {
            setApproved(undefined)
            reloadTabs.reset()
          }}
        />
      )}
      <BudgetAlerts alerts={budgets.data?.alerts ?? []} />
      <PendingList
        pending={pending.data ?? []}
        onApprove={({ origin, terms, maxDeposit, perPaymentLimit, also }) =>
          approve.mutate(
            () => ({
              origin,
              terms,
              also,
              maxDeposit: parseDollars(maxDeposit, 'The most it may spend').toString(),
              perPaymentLimit: parseDollars(perPaymentLimit, 'The limit for a single payment').toString(),
            }),
            {
              onSuccess: () => {
                reloadTabs.reset()
                setApproved(origin)
              },
            },
          )
        }
        onDeny={(origin, always) => deny.mutate({ origin, always })}
        busy={approve.isPending || deny.isPending}
        error={approve.error ?? deny.error}
      />
      {overview.data && <AccountCard overview={overview.data} onFund={() => fund.mutate()} funding={fund.isPending} fundError={fund.error} funded={fund.data} />}
      <ErrorText error={overview.error} />
      <ChannelList
        channels={channels.data ?? []}
        onClose={(c) => close.mutate({ origin: c.origin, channelId: c.channelId })}
        onForceClose={(c) => forceClose.mutate({ origin: c.origin, channelId: c.channelId })}
        onWithdraw={(c) => withdraw.mutate({ origin: c.origin, channelId: c.channelId })}
        busy={channelBusy}
      />
      <ErrorText error={close.error ?? forceClose.error ?? withdraw.error ?? channels.error} />
      {network.data && <NetworkCard value={network.data} />}
    </>
  )
}

/** Approved sites: price, cap, spend this day and month, budget, sign-ahead, pause, revoke. */
function Sites() {
  const sites = useRead('approvals.list')
  const budgets = useRead('budgets.get')
  const setMaxDeposit = useAction('approvals.setMaxDeposit')
  const revoke = useAction('approvals.revoke')
  const setBudget = useAction('budgets.set')
  const pause = useAction('approvals.pause')
  const setSignAhead = useAction('approvals.setSignAhead')
  const settings = useRead('settings.get')
  const ignored = useRead('approvals.ignored')
  const stopIgnoring = useAction('approvals.stopIgnoring')
  return (
    <>
      <SiteList
        sites={sites.data ?? []}
        onRevoke={(origin) => revoke.mutate({ origin })}
        budgets={budgets.data}
        onRaise={(origin, maxDeposit) => setMaxDeposit.mutate(() => ({ origin, maxDeposit: parseDollars(maxDeposit, 'Max deposit').toString() }))}
        onBudget={(origin, input) => setBudget.mutate(() => ({ site: { origin, limits: limitsFrom(input, parseDollars) } }))}
        onPause={(origin, paused) => pause.mutate({ origin, paused })}
        onSignAhead={(origin, dollars) =>
          setSignAhead.mutate(() => ({ origin, signAhead: dollars.trim() === '' ? null : parseDollars(dollars, 'Paying streams ahead').toString() }))
        }
        defaultSignAhead={settings.data?.signAhead}
        busy={revoke.isPending || setMaxDeposit.isPending || setBudget.isPending || pause.isPending || setSignAhead.isPending}
        error={revoke.error ?? setMaxDeposit.error ?? setBudget.error ?? pause.error ?? setSignAhead.error ?? sites.error}
      />
      <IgnoredSites
        origins={ignored.data ?? []}
        onStopIgnoring={(origin) => stopIgnoring.mutate({ origin })}
        busy={stopIgnoring.isPending}
        error={stopIgnoring.error ?? ignored.error}
      />
    </>
  )
}

function Activity() {
  const ledger = useRead('ledger.list')
  const insights = useRead('insights.get')
  const [exportError, setExportError] = useState<Error | null>(null)
  return (
    <>
      <ErrorText error={ledger.error ?? insights.error} />
      {insights.data && <SpendChart insights={insights.data} />}
      <ActivityList
        entries={ledger.data ?? []}
        onExport={async () => {
          setExportError(null)
          try {
            downloadCsv((await send('ledger.csv')).csv, `drip-history-${new Date().toISOString().slice(0, 10)}.csv`)
          } catch (error) {
            setExportError(error as Error)
          }
        }}
      />
      <ErrorText error={exportError} />
    </>
  )
}

/** Saves text as a file through the browser's own download (no extra permission). */
function downloadCsv(csv: string, name: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }))
  const link = Object.assign(document.createElement('a'), { href: url, download: name })
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

function Settings() {
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
      onExport={async (password) => (await send('wallet.export', { password })).privateKey}
      onLock={() => lock.mutate()}
      onReset={(confirmation) => reset.mutate({ confirmation })}
      busy={save.isPending || select.isPending || toggle.isPending || setRpcUrl.isPending || reset.isPending}
      error={save.error ?? select.error ?? toggle.error ?? setRpcUrl.error ?? reset.error}
      />
    </>
  )
}
