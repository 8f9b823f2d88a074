/**
 * The popup's channel list: Drip's records, with settled amounts and close
 * requests read from the chain in one batched call per chain
 * (`getChannelStatesBatch`) and one block read for chain time. A channel
 * whose open the chain does not have is not listed (`openingChannels.ts`),
 * nor a recovered one the network read now does not confirm.
 */
import type { Client } from 'viem'
import { getBlock } from 'viem/actions'
import { Actions } from 'viem/tempo'
import type { ChannelView } from '@/lib/protocol/views'
import type { ChannelRecord, ChannelRecords } from './channelRecords'
import { closeGracePeriodSeconds } from './lifecycle'

type ChainState = { settled: bigint; deposit: bigint; closeRequestedAt: number }

export async function channelViews(records: ChannelRecords, getClient: (chainId: number) => Client | Promise<Client>): Promise<ChannelView[]> {
  const all = await records.all()
  const open = all.filter((record) => record.status === 'open')
  const states = new Map<string, ChainState>()
  const chainTimes = new Map<number, number>()
  for (const chainId of new Set(open.map((record) => record.chainId))) {
    const ofChain = open.filter((record) => record.chainId === chainId)
    try {
      const client = await getClient(chainId)
      const [read, block] = await Promise.all([
        Actions.channel.getStates(client, { channel: ofChain.map((record) => record.channelId) }).catch(() => undefined),
        getBlock(client).catch(() => undefined),
      ])
      read?.forEach((state, index) => states.set(ofChain[index]!.channelId.toLowerCase(), state))
      if (block) chainTimes.set(chainId, Number(block.timestamp))
    } catch {
      // The chain is unreachable: show Drip's own figures.
    }
  }
  // A channel shows once the chain has it: not while its open may still land, nor when it never did. One that
  // "Find my channels" recorded shows only while the network read now confirms its deposit (an RPC could lie once).
  const stateOf = (record: ChannelRecord) => states.get(record.channelId.toLowerCase())
  const onChain = (record: ChannelRecord) =>
    !record.neverOpened &&
    (!record.opening || (stateOf(record)?.deposit ?? 0n) > 0n) &&
    (!record.recovered || record.status !== 'open' || (stateOf(record)?.deposit ?? 0n) > 0n)
  return all.filter(onChain).map((record) => describe(record, stateOf(record), chainTimes.get(record.chainId)))
}

function describe(record: ChannelRecord, onChain: ChainState | undefined, chainTime: number | undefined): ChannelView {
  const closed = record.status === 'closed'
  const withdrawableAt = !closed && onChain?.closeRequestedAt ? onChain.closeRequestedAt + closeGracePeriodSeconds : undefined
  // A recovered channel's deposit is the chain's, as read now, never what an earlier answer said.
  const deposit = record.recovered && !closed && onChain ? onChain.deposit : BigInt(record.deposit)
  const spent = BigInt(record.cumulative)
  return {
    origin: record.origin,
    channelId: record.channelId,
    chainId: record.chainId,
    currency: record.descriptor.token,
    recipient: record.descriptor.payee,
    deposit: deposit.toString(),
    spent: record.cumulative,
    remaining: (deposit > spent ? deposit - spent : 0n).toString(),
    settled: closed ? (record.settledToPayee ?? '0') : (onChain?.settled.toString() ?? '0'),
    status: closed ? 'closed' : withdrawableAt !== undefined ? 'closing' : 'open',
    withdrawableAt,
    chainTime: closed ? undefined : chainTime,
    refunded: record.refunded,
    resourceUrl: record.resourceUrl || undefined,
  }
}
