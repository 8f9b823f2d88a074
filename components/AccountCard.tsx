import type { Overview } from '@/lib/protocol/views'
import { formatDollars as usd } from '@/lib/shared/amounts'
import { ErrorText } from './Field'

type Props = {
  overview: Overview
  onFund: () => void
  funding: boolean
  fundError: Error | null
  /** The last faucet answer, said in words so a click is never silent. */
  funded: { hashes: string[]; networkName: string; rpcUrl: string } | undefined
}

/** The account: address, balances on the active network, and test funds where they exist. */
export function AccountCard({ overview, onFund, funding, fundError, funded }: Props) {
  const { address, network, balances, balanceError } = overview
  return (
    <section className="card" aria-labelledby="account-heading">
      <h2 id="account-heading">Account</h2>
      <dl className="facts">
        <div className="fact">
          <dt>Address</dt>
          <dd className="mono small" data-testid="address">
            {address}
          </dd>
        </div>
      </dl>
      <dl className="facts" aria-label={`Balances on ${network.name}`}>
        {balances.map((balance) => (
          <div className="fact" key={balance.token}>
            <dt>{balance.symbol}</dt>
            <dd data-testid={`balance-${balance.symbol}`}>{usd(BigInt(balance.amount))}</dd>
          </div>
        ))}
      </dl>
      {balanceError && <p className="error">{balanceError}</p>}
      {network.testnet ? (
        <>
          <button type="button" onClick={onFund} disabled={funding}>
            {funding ? 'Requesting…' : 'Get test funds'}
          </button>
          <p className="small" role="status" data-testid="fund-status">
            {funding
              ? `Asking the ${network.name} faucet at ${network.rpcUrl}…`
              : funded && !fundError
                ? `Requested test funds on ${funded.networkName} (${funded.rpcUrl}): ${funded.hashes.length} transaction${funded.hashes.length === 1 ? '' : 's'}.`
                : ''}
          </p>
        </>
      ) : (
        <p className="small">To fund Drip on {network.name}, send stablecoins to the address above.</p>
      )}
      <ErrorText error={fundError} />
    </section>
  )
}
