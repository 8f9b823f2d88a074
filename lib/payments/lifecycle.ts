/**
 * How channels end. Cooperative close: Drip signs a close credential for
 * exactly what it signed, the site calls `close` on chain, the unspent
 * deposit returns to the reader. Force close: `requestClose`, the 15-minute
 * grace period, `withdraw`. A channel is marked closed only when the chain
 * says so: a site that answers a close with an error, or with a 2xx that
 * closed nothing, leaves the channel open and Force close available.
 */
import { Receipt } from 'mppx'
import { Channel } from 'ox/tempo'
import { type Client, type Hex, type LocalAccount, type Log, parseEventLogs } from 'viem'
import { getTransactionReceipt } from 'viem/actions'
import { Abis, Actions } from 'viem/tempo'
import { formatDollars, type RawAmount } from '@/lib/shared/amounts'
import { Serial } from '@/lib/shared/serial'
import * as Challenge from './challenge'
import type { ChannelRecord, ChannelRecords } from './channelRecords'
import type { Ledger } from './ledger'
import { assertCumulative, postManagement, sessionCredential } from './sessionCredentials'

/** TIP-1034: a force close can withdraw this long after requestClose. */
export const closeGracePeriodSeconds = Number(Channel.closeGracePeriod)

export type LifecycleDeps = {
  signer: () => Promise<LocalAccount>
  getClient: (chainId: number) => Client | Promise<Client>
  records: ChannelRecords
  ledger: Ledger
  /** Challenge re-fetch and the close POST; never follows redirects. */
  fetch: typeof globalThis.fetch
}

export class Lifecycle {
  private serial = new Serial()

  constructor(private readonly deps: LifecycleDeps) {}

  /** Cooperative close: the site settles what Drip signed and the rest is refunded on chain. */
  close(origin: string, channelId: Hex): Promise<void> {
    return this.serial.run(channelId, async () => {
      const record = await this.find(origin, channelId)
      if (record.status !== 'open') throw new Error('This channel is already closed.')
      const client = await this.deps.getClient(record.chainId)
      // An earlier close may have landed while Drip could not see the chain (RPC down): the chain's word ends it.
      if ((await Actions.channel.getStates(client, { channel: channelId })).deposit === 0n) return this.finish(record, undefined, 'close')
      if (!record.resourceUrl) throw new Error('Drip does not know where this channel was opened, so it cannot ask the site to close it. Use Force close.')
      const account = await this.deps.signer()
      const challenge = await this.freshChallenge(record)
      const site = { origin, resourceUrl: record.resourceUrl, approval: { maxDeposit: record.deposit } }
      const cumulative = BigInt(record.cumulative)
      const response = await postManagement(this.deps.fetch, record.resourceUrl, challenge, async (current) => {
        const context = { action: 'close', channelId, descriptor: record.descriptor, cumulativeAmountRaw: cumulative.toString() }
        const authorization = await sessionCredential(this.deps, account, site, current, context)
        assertCumulative(authorization, cumulative)
        return authorization
      })
      await response.body?.cancel()
      if (!response.ok) throw new Error(`${origin} did not close the channel (HTTP ${response.status}). Try again later, or use Force close.`)
      const state = await Actions.channel.getStates(client, { channel: channelId })
      if (state.deposit !== 0n) throw new Error(`${origin} answered, but the channel is still open on chain. Try again later, or use Force close.`)
      await this.finish(record, await this.closeReceipt(client, response, channelId), 'close')
    })
  }

  /** Starts a unilateral close: after the grace period the payer can withdraw what is unsettled. */
  requestClose(origin: string, channelId: Hex): Promise<void> {
    return this.serial.run(channelId, async () => {
      const record = await this.find(origin, channelId)
      const client = await this.deps.getClient(record.chainId)
      const result = await Actions.channel.requestCloseSync(client, { account: await this.deps.signer(), channel: record.descriptor, nonceKey: 0n } as never)
      await this.deps.ledger.append({
        origin,
        kind: 'requestClose',
        channelId,
        txHash: result.receipt.transactionHash,
        detail: `Withdrawable after chain time ${result.closeGraceEnd}.`,
      })
    })
  }

  withdraw(origin: string, channelId: Hex): Promise<void> {
    return this.serial.run(channelId, async () => {
      const record = await this.find(origin, channelId)
      const client = await this.deps.getClient(record.chainId)
      const result = await Actions.channel.withdrawSync(client, { account: await this.deps.signer(), channel: record.descriptor, nonceKey: 0n } as never)
      await this.finish(record, result.receipt, 'withdraw')
    })
  }

  private async find(origin: string, channelId: Hex): Promise<ChannelRecord> {
    const record = await this.deps.records.get(channelId)
    if (!record || record.origin !== origin) throw new Error(`No channel ${channelId} for ${origin}.`)
    return record
  }

  /** A close credential needs a live challenge for the channel's own terms. */
  private async freshChallenge(record: ChannelRecord): Promise<Challenge.SessionChallenge> {
    const response = await this.deps.fetch(record.resourceUrl, { headers: { accept: 'application/json' } })
    await response.body?.cancel()
    if (response.status !== 402) throw new Error(`${record.resourceUrl} answered HTTP ${response.status}, not a 402 challenge.`)
    const challenge = Challenge.parse(response.headers.get('www-authenticate'))
    if (
      challenge.chainId !== record.chainId ||
      challenge.recipient.toLowerCase() !== record.descriptor.payee.toLowerCase() ||
      challenge.currency.toLowerCase() !== record.descriptor.token.toLowerCase()
    )
      throw new Error(`${record.resourceUrl} now asks for other terms than this channel's. Use Force close.`)
    return challenge
  }

  /** The close transaction named by the site's receipt, if the chain has it. */
  private async closeReceipt(client: Client, response: Response, channelId: Hex): Promise<ChainReceipt | undefined> {
    const header = response.headers.get('payment-receipt')
    if (!header) return undefined
    try {
      const txHash = (Receipt.deserialize(header) as { txHash?: Hex }).txHash
      if (!txHash) return undefined
      const receipt = await getTransactionReceipt(client, { hash: txHash })
      return closedEvent(receipt, channelId) ? receipt : undefined
    } catch {
      return undefined
    }
  }

  private async finish(record: ChannelRecord, receipt: ChainReceipt | undefined, kind: 'close' | 'withdraw') {
    const event = receipt && closedEvent(receipt, record.channelId)
    const refunded = event?.args.refundedToPayer
    const settledToPayee = event?.args.settledToPayee
    await this.deps.records.markClosed(record.channelId, { refunded, settledToPayee })
    await this.deps.ledger.append({
      origin: record.origin,
      kind,
      channelId: record.channelId,
      amount: refunded?.toString(),
      cumulative: record.cumulative,
      txHash: receipt?.transactionHash,
      detail: refunded === undefined ? 'Closed.' : `Refunded ${formatDollars(refunded)}; ${formatDollars(settledToPayee ?? 0n)} went to the site.`,
    })
  }
}

type ChainReceipt = { logs: Log[]; transactionHash: Hex }

/** The reserve's ChannelClosed event for this channel in a receipt, read from the chain, not the site. */
function closedEvent(receipt: ChainReceipt, channelId: Hex): { args: { refundedToPayer: RawAmount; settledToPayee: RawAmount } } | undefined {
  return parseEventLogs({ abi: Abis.tip20ChannelReserve, eventName: 'ChannelClosed', logs: receipt.logs }).find(
    (event) => (event.args as { channelId?: Hex }).channelId?.toLowerCase() === channelId.toLowerCase(),
  ) as { args: { refundedToPayer: RawAmount; settledToPayee: RawAmount } } | undefined
}
