/**
 * The Drip devnet: a local Tempo chain (id 1337) with TIP-20 stablecoins and
 * the TIP-1034 channel reserve, for running and testing Drip offline.
 *
 *   const devnet = await Devnet.start()        // a free port
 *   const id = await devnet.snapshot() … await devnet.revert(id)
 *   await devnet.stop()
 */
import type { AddressInfo } from 'node:net'
import { defineChain } from 'viem'
import { tempoLocalnet } from 'viem/chains'
import { Chain, type ChainEvents } from './chain'
import * as Genesis from './genesis'
import * as Persistence from './persistence'
import { createMethods, type RpcContext } from './rpc'
import { createRpcServer } from './server'

export { chainId, closeGracePeriodSeconds } from './constants'
export { alphaUsdAddress, devAccounts, mnemonic } from './genesis'
export { pathUsdAddress, channelReserveAddress, feeManagerAddress } from './abis'

export type StartOptions = {
  port?: number
  host?: string
  /** Persist the chain to this file after every block and resume from it on start. */
  stateFile?: string
  /** Mine every N ms instead of once per transaction. */
  blockTimeMs?: number
} & ChainEvents

export type Devnet = Awaited<ReturnType<typeof start>>

export async function start(options: StartOptions = {}) {
  const { host = '127.0.0.1', port = 0, stateFile, blockTimeMs } = options
  const chain = new Chain(Genesis.create(), {
    automine: blockTimeMs === undefined,
    events: {
      onTransaction: options.onTransaction,
      onBlock: (block) => {
        if (stateFile) Persistence.save(stateFile, chain.snapshot())
        options.onBlock?.(block)
      },
    },
  })
  if (stateFile) {
    const saved = Persistence.load(stateFile)
    if (saved) chain.restore(saved)
  }
  const context: RpcContext = { chain, snapshots: new Map(), nextSnapshotId: { value: 0 } }
  const methods = createMethods(context)
  const server = createRpcServer(methods)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const interval = blockTimeMs === undefined ? undefined : setInterval(() => chain.mine(), blockTimeMs)
  const address = server.address() as AddressInfo
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
  const call = async (method: string, params: unknown[] = []) => methods[method]!(params)

  return {
    url,
    port: address.port,
    chain,
    /** viem's tempoLocalnet pointed at this devnet. */
    viemChain: defineChain({ ...tempoLocalnet, rpcUrls: { default: { http: [url] } } }),
    accounts: Genesis.devAccounts(),
    snapshot: () => call('evm_snapshot') as Promise<string>,
    revert: (id: string) => call('evm_revert', [id]) as Promise<boolean>,
    mine: () => call('evm_mine'),
    increaseTime: (seconds: number | bigint) => call('evm_increaseTime', [`0x${BigInt(seconds).toString(16)}`]),
    async stop() {
      if (interval) clearInterval(interval)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

