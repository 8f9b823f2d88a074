import type { NetworkStatus } from '@/lib/protocol/views'

/**
 * The network as a small pill below what the reader acts on: its name and
 * whether its RPC answers; the RPC URL, chain id and latest block open
 * from it.
 */
export function NetworkCard({ value }: { value: NetworkStatus }) {
  const { network, rpcUrl, status } = value
  return (
    <section className="network-pill" aria-labelledby="network-heading">
      <details>
        <summary>
          <span id="network-heading">{network.name}</span>
          {' · '}
          <span role="status" data-testid="chain-state" data-state={status.state} className={`chain-state ${status.state}`}>
            {status.state === 'live' && 'Connected'}
            {status.state === 'unreachable' && `Unreachable: ${status.reason}`}
            {status.state === 'wrongChain' &&
              `Wrong chain: this RPC serves chain ${status.chainId}, but ${network.name} is chain ${status.expectedChainId}.`}
          </span>
        </summary>
        <dl className="facts">
          <dt>RPC</dt>
          <dd data-testid="rpc-url">{rpcUrl}</dd>
          <dt>Chain ID</dt>
          <dd data-testid="chain-id">{status.state === 'unreachable' ? '—' : status.chainId}</dd>
          <dt>Latest block</dt>
          <dd data-testid="block-number">{status.state === 'live' ? `#${status.blockNumber}` : '—'}</dd>
        </dl>
      </details>
    </section>
  )
}
