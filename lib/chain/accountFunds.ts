/** The account's money on chain: token balances, and test funds from a test network's faucet. */
import type { Address, Client, Hex } from 'viem'
import { Actions } from 'viem/tempo'
import type { Balance } from '@/lib/protocol/views'

export async function readBalances(client: Client, account: Address, tokens: Address[]): Promise<Balance[]> {
  return Promise.all(
    tokens.map(async (token) => {
      const [balance, metadata] = await Promise.all([
        Actions.token.getBalance(client, { account, token }),
        Actions.token.getMetadata(client, { token }).catch(() => undefined),
      ])
      return { token, symbol: metadata?.symbol ?? token, amount: balance.amount.toString() }
    }),
  )
}

/** Asks the network's `tempo_fundAddress` faucet; only test networks have one. */
export async function requestTestFunds(client: Client, account: Address): Promise<Hex[]> {
  const receipts = await Actions.faucet.fundSync(client, { account })
  return receipts.map((receipt) => receipt.transactionHash)
}
