/** `channels.*` and `ledger.*`: the channel list, cooperative and force close, withdraw, history and its CSV export. */
import * as Clients from '@/lib/chain/clients'
import { channelViews } from '@/lib/payments/channelViews'
import { historyCsv } from '@/lib/payments/historyCsv'
import { maxEntries, pruneEvery } from '@/lib/payments/ledger'
import type { Handlers } from '@/lib/protocol/messages'
import type { ChannelView } from '@/lib/protocol/views'
import type { Hex } from 'viem'
import type { Background } from '../root'

type ChannelMethods = 'channels.list' | 'channels.close' | 'channels.forceClose' | 'channels.withdraw' | 'ledger.list' | 'ledger.csv'

export function channelHandlers(background: Background): Pick<Handlers, ChannelMethods> {
  /** One channel as it stands after an action. */
  async function view(channelId: Hex): Promise<ChannelView> {
    const { records } = await background.current()
    const found = (await channelViews(records, Clients.clientFor)).find((view) => view.channelId.toLowerCase() === channelId.toLowerCase())
    if (!found) throw new Error('No such channel.')
    return found
  }
  return {
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
