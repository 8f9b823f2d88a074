/**
 * `approvals.*`: pending requests, approve (with the terms the reader saw),
 * a new max deposit, deny and revoke. Revoke and a lower cap stop the site's
 * running streams at once.
 */
import * as Policy from '@/lib/payments/policy'
import * as Preferences from '@/lib/payments/preferences'
import * as WaitingRequests from '@/lib/payments/waitingRequests'
import type { PopupHandlers } from '@/lib/protocol/messages'
import type { PendingView, SiteView, TermsView } from '@/lib/protocol/views'
import { formatLimit, rawAmountOf } from '@/lib/shared/amounts'
import * as Networks from '@/lib/chain/networks'
import type { Background } from '../background'

type ApprovalMethods =
  | 'approvals.pending'
  | 'approvals.approve'
  | 'approvals.setMaxDeposit'
  | 'approvals.setSignAhead'
  | 'approvals.pause'
  | 'approvals.deny'
  | 'approvals.ignored'
  | 'approvals.stopIgnoring'
  | 'approvals.list'
  | 'approvals.revoke'
  | 'approvals.reloadTabs'

export function approvalHandlers(background: Background): Pick<PopupHandlers, ApprovalMethods> {
  async function pendingViews(): Promise<PendingView[]> {
    const { approvals } = await background.current()
    const defaults = { cap: await Preferences.defaultCap(), perPaymentLimit: await Preferences.defaultPerPaymentLimit() }
    const approved = new Map((await approvals.list()).map((approval) => [approval.origin, approval]))
    return (await approvals.pending()).map((pending) => {
      // A site already approved shows what it has: approving this request never lowers it (`Policy.approvalFor`).
      const current = approved.get(pending.origin)
      const terms = WaitingRequests.termsOf(pending)
      const prefilled = WaitingRequests.prefill(terms, defaults, current)
      const reason = current && Policy.changedTerm(terms, current)
      return {
        ...pending,
        currencyLabel: Networks.tokenLabel(pending.currency),
        chainName: Networks.fromChainId(pending.chainId)?.name ?? `Chain ${pending.chainId}`,
        suggestedMaxDeposit: prefilled.maxDeposit.toString(),
        suggestedPerPaymentLimit: prefilled.perPaymentLimit.toString(),
        ...(reason ? { reason } : {}),
        also: pending.also ?? [],
      }
    })
  }

  async function siteViews(): Promise<SiteView[]> {
    const { approvals, records } = await background.current()
    const spent = await records.spentByOrigin()
    return (await approvals.list()).map(({ prices, charged, ...approval }) => ({
      ...approval,
      prices: Object.entries(prices).map(([unitType, price]) => ({ unitType, price })),
      spent: ((spent[approval.origin] ?? 0n) + BigInt(charged ?? '0')).toString(),
    }))
  }

  return {
    'approvals.pending': pendingViews,
    'approvals.list': siteViews,
    'approvals.approve': background.userAction(async ({ origin, terms, maxDeposit, perPaymentLimit, also }) => {
      const { approvals, ledger } = await background.current()
      const pending = await approvals.pendingFor(origin)
      if (!pending) throw new Error(`${origin} has no request waiting for approval. Visit it first.`)
      if (!Policy.sameTerms(WaitingRequests.termsOf(pending), termsFrom(terms)))
        throw new Error(`${origin}'s request is not the one you saw. Read it again before approving.`)
      // One Approve covers the other requests the reader saw beside it that fit the figures typed; the rest still waits.
      const { approval, stillWaiting } = WaitingRequests.approveWaiting(
        pending,
        { maxDeposit: rawAmountOf(maxDeposit), perPaymentLimit: perPaymentLimit === undefined ? undefined : rawAmountOf(perPaymentLimit) },
        await approvals.get(origin),
        Array.isArray(also) ? also.slice(0, WaitingRequests.maxAlsoWaiting).map(termsFrom) : [],
      )
      await approvals.grant(approval, stillWaiting)
      await ledger.append({
        origin,
        kind: 'approved',
        amount: approval.maxDeposit,
        detail: `Approved to spend up to ${formatLimit(approval.maxDeposit)}, no single payment above ${formatLimit(approval.perPaymentLimit)}.`,
      })
      await background.updateBadge()
      // Streams and paywalled links that waited for this approval carry on by themselves.
      await (await background.siteTabs(origin)).notify('approved')
      return siteViews()
    }),
    /** One click to carry on where a page's own request got the 402 before the approval: reload the site's tabs. */
    'approvals.reloadTabs': background.userAction(async ({ origin }) => ({ reloaded: await (await background.siteTabs(origin)).reload() })),
    'approvals.setMaxDeposit': background.userAction(async ({ origin, maxDeposit }) => {
      const { approvals, ledger } = await background.current()
      const current = await approvals.get(origin)
      if (!current) throw new Error(`${origin} is not approved.`)
      const approval = Policy.withMaxDeposit(current, rawAmountOf(maxDeposit))
      await approvals.grant(approval)
      if (BigInt(approval.maxDeposit) < BigInt(current.maxDeposit)) background.stopStreams(origin)
      await ledger.append({ origin, kind: 'approved', amount: approval.maxDeposit, detail: `Max deposit set to ${formatLimit(approval.maxDeposit)}.` })
      return siteViews()
    }),
    'approvals.setSignAhead': background.userAction(async ({ origin, signAhead }) => {
      const { approvals, ledger } = await background.current()
      const current = await approvals.get(origin)
      if (!current) throw new Error(`${origin} is not approved.`)
      const approval = Policy.withSignAhead(current, signAhead === null ? undefined : rawAmountOf(signAhead))
      await approvals.grant(approval)
      await ledger.append({
        origin,
        kind: 'approved',
        detail: approval.signAhead === undefined ? 'Streams pay ahead by your default again.' : `Streams pay ahead by up to ${formatLimit(approval.signAhead)} on this site.`,
      })
      return siteViews()
    }),
    'approvals.pause': background.userAction(async ({ origin, paused }) => {
      const { approvals, ledger } = await background.current()
      const current = await approvals.get(origin)
      if (!current) throw new Error(`${origin} is not approved.`)
      await approvals.grant({ ...current, paused: Boolean(paused) })
      if (paused) background.stopStreams(origin)
      await ledger.append({ origin, kind: 'approved', detail: paused ? 'Paused: nothing is paid until you resume it.' : 'Resumed.' })
      return siteViews()
    }),
    'approvals.deny': background.userAction(async ({ origin, always }) => {
      const { approvals, ledger } = await background.current()
      await approvals.deny(origin, { always: always === true })
      await ledger.append({ origin, kind: 'denied', detail: always === true ? 'Ignored: it will not ask again until you stop ignoring it under Sites.' : 'Denied for this browser session.' })
      await background.updateBadge()
      return pendingViews()
    }),
    'approvals.ignored': async () => (await background.current()).approvals.ignored(),
    'approvals.stopIgnoring': background.userAction(async ({ origin }) => {
      const { approvals, ledger } = await background.current()
      await approvals.stopIgnoring(origin)
      await ledger.append({ origin, kind: 'denied', detail: 'No longer ignored: it may ask for approval again.' })
      return approvals.ignored()
    }),
    'approvals.revoke': background.userAction(async ({ origin }) => {
      const { approvals, ledger } = await background.current()
      background.stopStreams(origin)
      if (await approvals.revoke(origin)) await ledger.append({ origin, kind: 'revoked', detail: 'Payments stopped.' })
      // Its open pages stop paying and lose Drip's marks (`data-mpp-wallet`, the URLs their tab kept) at once.
      await (await background.siteTabs(origin)).notify('revoked')
      return siteViews()
    }),
  }
}

function termsFrom(view: TermsView): Policy.Terms {
  if (!view || typeof view !== 'object') throw new Error('Approve needs the terms you saw.')
  return {
    amount: rawAmountOf(view.amount),
    unitType: String(view.unitType),
    recipient: view.recipient,
    currency: view.currency,
    chainId: Number(view.chainId),
    ...(typeof view.resourceOrigin === 'string' ? { resourceOrigin: view.resourceOrigin } : {}),
  }
}
