import type { ChannelView } from '@/lib/protocol/views'
import { formatDollars as usd, toDollars } from '@/lib/shared/amounts'
import { ConfirmAction } from './ConfirmAction'

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
            <Money name="Deposit" raw={channel.deposit} testId="deposit" />
            <Money name="Spent" raw={channel.spent} testId="spent" />
            {channel.status === 'closed' ? (
              // Over: what it cost and what came back; nothing remains on it.
              <Money name="Came back" raw={channel.refunded ?? '0'} testId="refunded" />
            ) : (
              <>
                <Money name="Remaining" raw={channel.remaining} testId="remaining" />
                <Money name="Settled" raw={channel.settled} testId="settled" />
              </>
            )}
            <Fact name="Status" value={statusText(channel)} testId="status" />
          </dl>
          <details className="small">
            <summary>Channel details</summary>
            <p className="mono" data-testid="channel-id">
              Channel {channel.channelId}
            </p>
            <p className="mono">Recipient {channel.recipient}</p>
          </details>
          {channel.status === 'open' && <OpenChannelActions channel={channel} onClose={onClose} onForceClose={onForceClose} busy={busy} />}
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

/** Close (the site settles and refunds at once); Force close, destructive, asks first: it takes 15 minutes and the site has no say. */
function OpenChannelActions({ channel, onClose, onForceClose, busy }: { channel: ChannelView } & Pick<Props, 'onClose' | 'onForceClose' | 'busy'>) {
  return (
    <div className="row">
      {channel.resourceUrl ? (
        <button type="button" onClick={() => onClose(channel)} disabled={busy} aria-label={`Close the channel with ${channel.origin}`}>
          Close
        </button>
      ) : (
        <p className="small">Found on chain: the site is unknown, so Drip cannot ask it to close. Force close returns what the site has not settled.</p>
      )}
      <ConfirmAction
        label="Force close"
        ariaLabel={`Force close the channel with ${channel.origin}`}
        title="When the site is gone: start the 15-minute grace period, then withdraw"
        warning={`Force close starts a 15-minute wait on chain; then Withdraw returns what ${channel.origin} has not settled. Use it only when the site no longer answers.`}
        confirmLabel="Yes, force close"
        onConfirm={() => onForceClose(channel)}
        busy={busy}
      />
    </div>
  )
}

/** A channel's figure in the reader's format, its exact amount in the title ("$0.04", title "$0.042"). */
function Money({ name, raw, testId }: { name: string; raw: string; testId: string }) {
  return <Fact name={name} value={usd(BigInt(raw))} title={`$${toDollars(raw)}`} testId={testId} />
}

function Fact({ name, value, title, testId }: { name: string; value: string; title?: string; testId: string }) {
  return (
    <div className="fact">
      <dt>{name}</dt>
      <dd data-testid={testId} title={title}>
        {value}
      </dd>
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
