/**
 * "Find my channels": after a reset, a re-import or on another browser,
 * Drip has no record of the account's channels, and their deposits would
 * be stranded. This reads the reserve's `ChannelOpened` logs by payer and
 * the channels' states in one batched call (`getChannelStatesBatch`), and
 * records each channel still holding a deposit that Drip does not know.
 *
 * A recovered channel's site is unknown (only its payee is on chain), and
 * so is what Drip signed on it before: Drip signs nothing more on it. It
 * can be force closed, then withdrawn after the grace period; the payee
 * settles what it holds meanwhile, and the rest returns to the reader.
 */
import type { Address, Client, Hex } from 'viem'
import { getLogs } from 'viem/actions'
import { Abis, Actions, Addresses } from 'viem/tempo'
import { type ChannelRecord, type ChannelRecords, keyFor } from './channelRecords'

const channelOpened = Abis.tip20ChannelReserve.find((item) => item.type === 'event' && item.name === 'ChannelOpened')!

/** The label a recovered channel shows in place of its site. */
export function recoveredOrigin(payee: Address): string {
  return `unknown site (pays ${payee.slice(0, 6)}…${payee.slice(-4)})`
}

export async function findChannels(deps: { client: Client; records: ChannelRecords }, payer: Address, chainId: number, now = Date.now()): Promise<{ onChain: number; recovered: ChannelRecord[] }> {
  const logs = await getLogs(deps.client, { address: Addresses.tip20ChannelReserve, event: channelOpened as never, args: { payer } as never, fromBlock: 0n, toBlock: 'latest' })
  const opened = logs.map((log) => (log as unknown as { args: { channelId: Hex; payer: Address; payee: Address; operator: Address; token: Address; authorizedSigner: Address; salt: Hex; expiringNonceHash: Hex } }).args)
  if (opened.length === 0) return { onChain: 0, recovered: [] }
  const states = await Actions.channel.getStates(deps.client, { channel: opened.map((event) => event.channelId) })
  const known = new Set((await deps.records.all()).map((record) => record.channelId.toLowerCase()))
  const recovered: ChannelRecord[] = []
  for (const [index, event] of opened.entries()) {
    const state = states[index]!
    if (state.deposit === 0n || known.has(event.channelId.toLowerCase())) continue
    const record: ChannelRecord = {
      channelId: event.channelId,
      origin: recoveredOrigin(event.payee),
      key: keyFor({ payee: event.payee, token: event.token, escrow: Addresses.tip20ChannelReserve, chainId }),
      chainId,
      escrow: Addresses.tip20ChannelReserve,
      descriptor: {
        payer: event.payer,
        payee: event.payee,
        operator: event.operator,
        token: event.token,
        salt: event.salt,
        authorizedSigner: event.authorizedSigner,
        expiringNonceHash: event.expiringNonceHash,
      } as ChannelRecord['descriptor'],
      deposit: state.deposit.toString(),
      // What the site holds is unknown; the chain's settled amount is the least Drip signed.
      cumulative: state.settled.toString(),
      resourceUrl: '',
      openedAt: now,
      status: 'open',
      recovered: true,
    }
    await deps.records.update(record.channelId, (current) => current ?? record)
    recovered.push(record)
  }
  return { onChain: opened.length, recovered }
}
