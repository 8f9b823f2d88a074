/** The popup's data: react-query over the background's typed protocol. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type * as Messaging from '@/lib/protocol/messages'
import { browser } from 'wxt/browser'
import { createSend } from '@/lib/protocol/send'

type Method = Messaging.PopupMethod

/** The popup's messages to the background. */
export const send = createSend<Method>((request) => browser.runtime.sendMessage(request))

/** Reads that change on their own (chain, channels) are polled while the popup is open. */
const polled: Partial<Record<Method, number>> = {
  'network.status': 2_000,
  'channels.list': 2_000,
  'wallet.overview': 4_000,
  'approvals.pending': 2_000,
  'ledger.list': 4_000,
  'approvals.list': 2_000,
  'budgets.get': 2_000,
}

export function useRead<M extends Method>(method: M, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: [method],
    queryFn: () => (send as (method: M) => Promise<Messaging.Result<M>>)(method),
    refetchInterval: polled[method],
    enabled: options.enabled,
  })
}

/**
 * A privileged action; on success every read is refreshed, since actions
 * ripple (approve → sites, pending, badge). Params may be given as a
 * function, so that reading a form (dollars into raw units) fails as the
 * action's error, in words, with nothing sent.
 */
export function useAction<M extends Method>(method: M) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (params: Messaging.Params<M> | (() => Messaging.Params<M>)) =>
      (send as (method: M, params: Messaging.Params<M>) => Promise<Messaging.Result<M>>)(
        method,
        typeof params === 'function' ? (params as () => Messaging.Params<M>)() : params,
      ),
    // After another wallet (or none) nothing cached belongs to the reader any more: no screen may show the previous
    // account's sites or channels while it refetches. Other actions refresh every read in place.
    onSuccess: () => (walletChanging.has(method) ? queryClient.resetQueries() : queryClient.invalidateQueries()),
  })
}

/** Actions after which the popup holds another account's wallet, or none. */
const walletChanging = new Set<Method>(['wallet.create', 'wallet.import', 'wallet.reset'])
