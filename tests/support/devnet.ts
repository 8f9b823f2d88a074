/** Starts the Drip devnet in-process and hands out viem clients for its dev accounts. */
import { type Address, createClient, http, publicActions, walletActions } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { Actions } from 'viem/tempo'
import * as Devnet from '@/devnet/index'

export type TestDevnet = Devnet.Devnet & {
  /** A wallet+public client signing as dev account `index`. */
  client(index: number): ReturnType<typeof clientFor>
  balance(address: Address, token?: Address): Promise<bigint>
}

function clientFor(devnet: Devnet.Devnet, privateKey: `0x${string}`) {
  return createClient({ chain: devnet.viemChain, transport: http(devnet.url), account: privateKeyToAccount(privateKey) })
    .extend(publicActions)
    .extend(walletActions)
}

export async function startDevnet(options: Devnet.StartOptions = {}): Promise<TestDevnet> {
  const devnet = await Devnet.start(options)
  const reader = clientFor(devnet, devnet.accounts[0]!.privateKey)
  return Object.assign(devnet, {
    client: (index: number) => clientFor(devnet, devnet.accounts[index]!.privateKey),
    balance: async (address: Address, token: Address = Devnet.pathUsdAddress) =>
      (await Actions.token.getBalance(reader, { account: address, token })).amount,
  })
}
