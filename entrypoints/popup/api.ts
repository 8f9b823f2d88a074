/** The popup's data: react-query over the background's typed protocol. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import * as Messaging from '@/lib/messaging'

type Method = Messaging.Method

/** Reads that change on their own (chain, channels) are polled while the popup is open. */
const polled: Partial<Record<Method, number>> = {
  'network.status': 2_000,
  'channels.list': 2_000,
  'wallet.overview': 4_000,
  'approvals.pending': 2_000,
  'ledger.list': 4_000,
  'approvals.list': 2_000,
}

export function useRead<M extends Method>(method: M, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: [method],
    queryFn: () => (Messaging.send as (method: M) => Promise<Messaging.Result<M>>)(method),
    refetchInterval: polled[method],
    enabled: options.enabled,
  })
}

/** A privileged action; on success every read is refreshed, since actions ripple (approve → sites, pending, badge). */
export function useAction<M extends Method>(method: M) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (params: Messaging.Params<M>) =>
      (Messaging.send as (method: M, params: Messaging.Params<M>) => Promise<Messaging.Result<M>>)(method, params),
    onSuccess: () => queryClient.invalidateQueries(),
  })
}
