/** Starts the Drip devnet in-process and hands out viem clients for its dev accounts. */
import { type Address, createClient, http, parseEventLogs, publicActions, walletActions } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { Abis, Actions } from 'viem/tempo'
import * as Devnet from '@/devnet/index'

export type TestDevnet = Devnet.Devnet & {
  /** A wallet+public client signing as dev account `index`. */
  client(index: number): ReturnType<typeof clientFor>
  balance(address: Address, token?: Address): Promise<bigint>
  /** Channel reserve events mined after `afterBlock` (default: all), decoded. */
  reserveEvents<const name extends ReserveEvent | undefined = undefined>(eventName?: name, afterBlock?: bigint): ReturnType<typeof decodeReserveEvents<name>>
  /** TIP-20 transfers with a memo (what one-shot charges send) to `to`, decoded. */
  memoTransfers(to: Address): { from: Address; to: Address; amount: bigint }[]
}

type ReserveEvent = 'ChannelOpened' | 'TopUp' | 'Settled' | 'ChannelClosed' | 'CloseRequested' | 'CloseRequestCancelled'

function minedLogs(devnet: Devnet.Devnet, afterBlock = -1n) {
  return devnet.chain.blocks.slice(Number(afterBlock) + 1).flatMap((block) => block.transactions.flatMap((hash) => devnet.chain.receipts.get(hash)!.logs))
}

function decodeReserveEvents<const name extends ReserveEvent | undefined>(devnet: Devnet.Devnet, eventName: name, afterBlock = -1n) {
  return parseEventLogs({ abi: Abis.tip20ChannelReserve, eventName: eventName as name, logs: minedLogs(devnet, afterBlock) as never })
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
    reserveEvents: (eventName?: ReserveEvent, afterBlock?: bigint) => decodeReserveEvents(devnet, eventName, afterBlock),
    memoTransfers: (to: Address) =>
      parseEventLogs({ abi: Abis.tip20, eventName: 'TransferWithMemo', logs: minedLogs(devnet) as never })
        .map((log) => log.args)
        .filter((args) => args.to.toLowerCase() === to.toLowerCase()),
  }) as TestDevnet
}
