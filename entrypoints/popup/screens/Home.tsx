import { useState } from 'react'
import { ApprovedNotice } from '@/components/ApprovedNotice'
import { BudgetAlerts } from '@/components/BudgetsCard'
import { AccountCard } from '@/components/AccountCard'
import { ChannelList } from '@/components/ChannelList'
import { ErrorText } from '@/components/Field'
import { NetworkCard } from '@/components/NetworkCard'
import { PendingList } from '@/components/PendingList'
import { parseDollars } from '@/lib/shared/amounts'
import { useAction, useRead } from '../api'

/** What needs the reader first: a site just approved, budget alerts, sites waiting for approval; then the account, its channels, and the network last, as a pill. */
export function Home() {
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
