/** `channels.*` and `ledger.*`: the channel list, finding the account's channels on chain, cooperative and force close, withdraw, history and its CSV export. */
import * as Clients from '@/lib/chain/clients'
import { findChannels } from '@/lib/payments/channelRecovery'
import { channelViews } from '@/lib/payments/channelViews'
import { historyCsv } from '@/lib/payments/historyCsv'
import type { ChannelRecords } from '@/lib/payments/channelRecords'
import { type Ledger, maxEntries, pruneEvery } from '@/lib/payments/ledger'
import { formatDollars } from '@/lib/shared/amounts'
import type { PopupHandlers } from '@/lib/protocol/messages'
import type { ChannelView } from '@/lib/protocol/views'
import type { Address, Hex } from 'viem'
import type { Background } from '../background'
import { activeNetwork } from './network'

type ChannelMethods = 'channels.list' | 'channels.find' | 'channels.close' | 'channels.forceClose' | 'channels.withdraw' | 'ledger.list' | 'ledger.csv'

export function channelHandlers(background: Background): Pick<PopupHandlers, ChannelMethods> {
  /** One channel as it stands after an action. */
  async function view(channelId: Hex): Promise<ChannelView> {
    const { records } = await background.current()
    const found = (await channelViews(records, Clients.clientFor)).find((view) => view.channelId.toLowerCase() === channelId.toLowerCase())
    if (!found) throw new Error('No such channel.')
    return found
  }
  return {
    'channels.find': background.userAction(async () => {
      const { address, records, ledger } = await background.current()
      return findAccountChannels(address, records, ledger)
    }),
    async 'channels.list'() {
      // A read for the popup's poll: it never loads the key and never pushes auto-lock back.
      if (!(await background.wallet.isUnlocked())) return []
      return channelViews((await background.current()).records, Clients.clientFor)
    },
    'channels.close': background.userAction(async ({ origin, channelId }) => {
      await (await background.current()).lifecycle.close(origin, channelId)
      return view(channelId)
    }),
    'channels.forceClose': background.userAction(async ({ origin, channelId }) => {
      await (await background.current()).lifecycle.requestClose(origin, channelId)
      return view(channelId)
    }),
    'channels.withdraw': background.userAction(async ({ origin, channelId }) => {
      await (await background.current()).lifecycle.withdraw(origin, channelId)
      return view(channelId)
    }),
    async 'ledger.list'() {
      return (await background.current()).ledger.list()
    },
    async 'ledger.csv'() {
      const lines = await (await background.current()).ledger.list(maxEntries + pruneEvery)
      return { csv: historyCsv(lines), lines: lines.length }
    },
  }
}

/** Finds and records the account's unknown channels on the active network, with one history line per channel found. */
export async function findAccountChannels(address: Address, records: ChannelRecords, ledger: Ledger) {
  const network = await activeNetwork()
  const { onChain, recovered } = await findChannels({ client: await Clients.clientFor(network.chainId), records }, address, network.chainId)
  for (const record of recovered)
    await ledger.append({ origin: record.origin, kind: 'open', channelId: record.channelId, amount: record.deposit, detail: `Found on chain with a ${formatDollars(record.deposit)} deposit: force close it to get the unspent part back.` })
  return { onChain, recovered: recovered.length, network: network.name }
}
