/** `wallet.*`: the account, its lock, its balances and test funds. */
import type { Address } from 'viem'
import * as AccountFunds from '@/lib/chain/accountFunds'
import * as Clients from '@/lib/chain/clients'
import * as Networks from '@/lib/chain/networks'
import type { PopupHandlers } from '@/lib/protocol/messages'
import * as Schema from '@/lib/storage/schema'
import type { Background } from '../background'
import { findAccountChannels } from './channels'
import { activeNetwork } from './network'

type WalletMethods =
  | 'wallet.status'
  | 'wallet.create'
  | 'wallet.import'
  | 'wallet.unlock'
  | 'wallet.lock'
  | 'wallet.export'
  | 'wallet.exportPhrase'
  | 'wallet.reset'
  | 'wallet.overview'
  | 'wallet.fund'

export function walletHandlers(background: Background): Pick<PopupHandlers, WalletMethods> {
  const { wallet } = background
  return {
    'wallet.status': () => wallet.status(),
    async 'wallet.create'({ password }) {
      const { recoveryPhrase } = await wallet.create(password)
      return { ...(await wallet.status()), recoveryPhrase }
    },
    async 'wallet.import'({ privateKey, password }) {
      await wallet.importKey(privateKey, password)
      // An account used before (another browser, before a reset) may have channels holding deposits: find them now.
      const { address, records, ledger } = await background.current()
      await findAccountChannels(address, records, ledger).catch(() => undefined)
      return wallet.status()
    },
    async 'wallet.unlock'({ password }) {
      await wallet.unlock(password)
      return wallet.status()
    },
    async 'wallet.lock'() {
      await wallet.lock()
      return wallet.status()
    },
    async 'wallet.export'({ password }) {
      return { privateKey: await wallet.exportPrivateKey(password) }
    },
    async 'wallet.exportPhrase'({ password }) {
      return { recoveryPhrase: await wallet.exportRecoveryPhrase(password) }
    },
    async 'wallet.reset'({ confirmation }) {
      const address = await wallet.address()
      await wallet.reset(confirmation)
      if (address) {
        await Schema.wipeAccount(address)
        background.forget(address)
      }
      await background.updateBadge()
      return wallet.status()
    },
    async 'wallet.overview'() {
      const { address, approvals } = await background.current()
      const network = await activeNetwork()
      const tokens = new Map<string, Address>([[Networks.pathUsd.toLowerCase(), Networks.pathUsd]])
      for (const approval of await approvals.list()) if (approval.chainId === network.chainId) tokens.set(approval.currency.toLowerCase(), approval.currency)
      try {
        const balances = await AccountFunds.readBalances(await Clients.clientFor(network.chainId), address, [...tokens.values()])
        return { address, network, balances, balanceError: undefined }
      } catch (error) {
        return { address, network, balances: [], balanceError: `Could not read balances: ${(error as Error).message.split('\n')[0]}` }
      }
    },
    'wallet.fund': background.userAction(async () => {
      const { address } = await background.current()
      const network = await activeNetwork()
      if (!network.testnet) throw new Error('Test funds exist only on test networks. On mainnet, send funds to your address.')
      const hashes = await AccountFunds.requestTestFunds(await Clients.clientFor(network.chainId), address, network.rpcUrl)
      return { hashes, networkName: network.name, rpcUrl: network.rpcUrl }
    }),
  }
}
