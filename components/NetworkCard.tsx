import type { NetworkStatus } from '@/lib/protocol/views'

/** The configured network and what its RPC says right now. */
export function NetworkCard({ value }: { value: NetworkStatus }) {
  const { network, rpcUrl, status } = value
  return (
    <section className="card" aria-labelledby="network-heading">
      <h2 id="network-heading">{network.name}</h2>
      <dl className="facts">
        <dt>RPC</dt>
        <dd data-testid="rpc-url">{rpcUrl}</dd>
        <dt>Chain</dt>
        <dd data-testid="chain-id">{status.state === 'unreachable' ? '—' : status.chainId}</dd>
        <dt>Latest block</dt>
        <dd data-testid="block-number">{status.state === 'live' ? `#${status.blockNumber}` : '—'}</dd>
      </dl>
      <p role="status" data-testid="chain-state" data-state={status.state} className={`chain-state ${status.state}`}>
        {status.state === 'live' && 'Connected'}
        {status.state === 'unreachable' && `Unreachable: ${status.reason}`}
        {status.state === 'wrongChain' &&
          `Wrong chain: this RPC serves chain ${status.chainId}, but ${network.name} is chain ${status.expectedChainId}.`}
      </p>
    </section>
  )
}
