import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { NetworkCard } from '@/components/NetworkCard'
import { RpcUrlForm } from '@/components/RpcUrlForm'
import * as Messaging from '@/lib/messaging'

/** How often the popup re-reads the chain while it is open. */
const chainPollMs = 2_000

export function App() {
  const queryClient = useQueryClient()
  const networkStatus = useQuery({
    queryKey: ['network.status'],
    queryFn: () => Messaging.send('network.status'),
    refetchInterval: chainPollMs,
  })
  const setRpcUrl = useMutation({
    mutationFn: (params: Messaging.Params<'network.setRpcUrl'>) => Messaging.send('network.setRpcUrl', params),
    onSuccess: (status) => queryClient.setQueryData(['network.status'], status),
  })

  return (
    <main className="popup">
      <header className="popup-header">
        <h1>Drip</h1>
      </header>
      {networkStatus.data ? (
        <>
          <NetworkCard value={networkStatus.data} />
          <RpcUrlForm
            networkName={networkStatus.data.network.name}
            rpcUrl={networkStatus.data.rpcUrl}
            saving={setRpcUrl.isPending}
            error={setRpcUrl.error?.message}
            onSave={(rpcUrl) => setRpcUrl.mutate({ networkId: networkStatus.data.network.id, rpcUrl })}
          />
        </>
      ) : networkStatus.error ? (
        <p role="alert" className="error">
          {networkStatus.error.message}
        </p>
      ) : (
        <p role="status">Checking the network…</p>
      )}
    </main>
  )
}
