import type { ChannelView } from '@/lib/protocol/views'
import { formatDollars as usd } from '@/lib/shared/amounts'

type Props = {
  channels: ChannelView[]
  onClose: (channel: ChannelView) => void
  onForceClose: (channel: ChannelView) => void
  onWithdraw: (channel: ChannelView) => void
  busy: boolean
}

/**
 * Payment channels: the open and closing ones first, with the ways to end
 * them; closed ones apart, folded, as history.
 */
export function ChannelList({ channels, onClose, onForceClose, onWithdraw, busy }: Props) {
  const live = channels.filter((channel) => channel.status !== 'closed')
  const closed = channels.filter((channel) => channel.status === 'closed')
  return (
    <section className="card" aria-labelledby="channels-heading">
      <h2 id="channels-heading">Open channels</h2>
      {live.length === 0 && <p className="small">No open channels.</p>}
      <Rows channels={live} onClose={onClose} onForceClose={onForceClose} onWithdraw={onWithdraw} busy={busy} />
      {closed.length > 0 && (
        <details className="closed-channels">
          <summary>Closed channels ({closed.length})</summary>
          <Rows channels={closed} onClose={onClose} onForceClose={onForceClose} onWithdraw={onWithdraw} busy={busy} />
        </details>
      )}
    </section>
  )
}

function Rows({ channels, onClose, onForceClose, onWithdraw, busy }: Props) {
  return (
      <ul className="list">
        {channels.map((channel) => (
          <li key={channel.channelId} data-testid="channel" data-status={channel.status} aria-label={`Channel with ${channel.origin}, ${channel.status}`}>
            <div className="site">{channel.origin}</div>
            <dl className="facts compact">
              <Fact name="Deposit" value={usd(BigInt(channel.deposit))} testId="deposit" />
              <Fact name="Spent" value={usd(BigInt(channel.spent))} testId="spent" />
              <Fact name="Remaining" value={usd(BigInt(channel.remaining))} testId="remaining" />
              <Fact name="Settled" value={usd(BigInt(channel.settled))} testId="settled" />
              <Fact name="Status" value={statusText(channel)} testId="status" />
            </dl>
            <details className="small">
              <summary>Channel details</summary>
              <p className="mono" data-testid="channel-id">
                Channel {channel.channelId}
              </p>
              <p className="mono">Recipient {channel.recipient}</p>
            </details>
            {channel.status === 'open' && (
              <div className="row">
                {channel.resourceUrl ? (
                  <button type="button" onClick={() => onClose(channel)} disabled={busy} aria-label={`Close the channel with ${channel.origin}`}>
                    Close
                  </button>
                ) : (
                  <p className="small">Found on chain: the site is unknown, so Drip cannot ask it to close. Force close returns what the site has not settled.</p>
                )}
                <button
                  type="button"
                  onClick={() => onForceClose(channel)}
                  disabled={busy}
                  title="When the site is gone: start the 15-minute grace period, then withdraw"
                  aria-label={`Force close the channel with ${channel.origin}`}
                >
                  Force close
                </button>
              </div>
            )}
            {channel.status === 'closing' && (
              <button type="button" onClick={() => onWithdraw(channel)} disabled={busy || secondsLeft(channel) > 0} aria-label={`Withdraw from the channel with ${channel.origin}`}>
                Withdraw
              </button>
            )}
          </li>
        ))}
      </ul>
  )
}

function Fact({ name, value, testId }: { name: string; value: string; testId: string }) {
  return (
    <div className="fact">
      <dt>{name}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  )
}

function secondsLeft(channel: ChannelView): number {
  if (channel.withdrawableAt === undefined || channel.chainTime === undefined) return 0
  return Math.max(0, channel.withdrawableAt - channel.chainTime)
}

function statusText(channel: ChannelView): string {
  if (channel.status === 'closed') return channel.refunded ? `Closed, ${usd(BigInt(channel.refunded))} refunded` : 'Closed'
  if (channel.status === 'closing') {
    const left = secondsLeft(channel)
    return left > 0 ? `Closing: withdraw in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}` : 'Ready to withdraw'
  }
  return 'Open'
}
