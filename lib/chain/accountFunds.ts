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

/** How long a faucet may take before the reader is told it did not answer. */
export const faucetTimeoutMs = 10_000

/** Asks the network's `tempo_fundAddress` faucet; only test networks have one. Fails in words after `faucetTimeoutMs`. */
export async function requestTestFunds(client: Client, account: Address, rpcUrl: string, timeoutMs = faucetTimeoutMs): Promise<Hex[]> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The faucet at ${rpcUrl} did not answer within ${timeoutMs / 1000} s. Check the RPC URL in Settings.`)), timeoutMs)
  })
  try {
    const receipts = await Promise.race([Actions.faucet.fundSync(client, { account }), timeout])
    return receipts.map((receipt) => receipt.transactionHash)
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('The faucet at')) throw error
    throw new Error(`The faucet at ${rpcUrl} refused: ${(error as { shortMessage?: string }).shortMessage ?? (error as Error).message.split('\n')[0]}`)
  } finally {
    clearTimeout(timer)
  }
}
