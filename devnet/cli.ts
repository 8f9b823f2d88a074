/**
 * `npm run devnet -- [--port 8545] [--host 127.0.0.1] [--state FILE] [--block-time MS]`
 * Starts the Drip devnet, prints its RPC URL and development accounts, and
 * logs one line per transaction until Ctrl-C.
 */
import { parseArgs } from 'node:util'
import { formatUnits } from 'viem'
import type { Receipt } from './chain'
import * as Devnet from './index'
import type { Decoded } from './transactions'

export const usage = 'Usage: npm run devnet -- [--port 8545] [--host 127.0.0.1] [--state FILE] [--block-time MS]'

export type CliOptions = { port: number; host: string; stateFile: string | undefined; blockTimeMs: number | undefined }

/** Parses flags strictly: unknown flags or bad numbers are an error in words. */
export function parseFlags(argv: string[]): CliOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8545' },
      host: { type: 'string', default: '127.0.0.1' },
      state: { type: 'string' },
      'block-time': { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  })
  if (positionals.length > 0) throw new Error(`Unexpected argument "${positionals[0]}".`)
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be 0–65535, got "${values.port}".`)
  let blockTimeMs: number | undefined
  if (values['block-time'] !== undefined) {
    blockTimeMs = Number(values['block-time'])
    if (!Number.isInteger(blockTimeMs) || blockTimeMs < 10)
      throw new Error(`--block-time must be a whole number of milliseconds ≥ 10, got "${values['block-time']}".`)
  }
  if (values.state === '') throw new Error('--state needs a file path.')
  return { port, host: values.host!, stateFile: values.state, blockTimeMs }
}

function describeTransaction(tx: Decoded, receipt: Receipt): string {
  const status = receipt.status === 'success' ? 'ok' : `reverted (${receipt.revertReason})`
  const fee = `${formatUnits(receipt.fee, 6)} fee`
  const sponsor = receipt.feePayer.toLowerCase() !== tx.from.toLowerCase() ? ` sponsored by ${receipt.feePayer}` : ''
  return `block ${receipt.blockNumber} ${tx.hash} ${tx.kind} from ${tx.from} ${tx.calls.length} call(s) ${status}, ${fee}${sponsor}`
}

async function main() {
  let options: CliOptions
  try {
    options = parseFlags(process.argv.slice(2))
  } catch (error) {
    console.error(`devnet: ${(error as Error).message}\n${usage}`)
    process.exit(2)
  }
  const devnet = await Devnet.start({
    ...options,
    onTransaction: (tx, receipt) => console.log(describeTransaction(tx, receipt)),
  }).catch((error: Error) => {
    console.error(`devnet: could not start on ${options.host}:${options.port}: ${error.message}`)
    process.exit(1)
  })
  console.log(`Drip devnet (Tempo localnet, chain ${Devnet.chainId}) listening on ${devnet.url}`)
  console.log(options.blockTimeMs ? `Mining a block every ${options.blockTimeMs} ms.` : 'Automining: one block per transaction.')
  if (options.stateFile) console.log(`State persists in ${options.stateFile} (block ${devnet.chain.latest.number}).`)
  console.log(`\nMnemonic: ${Devnet.mnemonic}\n\nDevelopment accounts (1,000,000 pathUSD and AlphaUSD each at genesis):`)
  for (const [index, account] of devnet.accounts.entries()) {
    const balance = await devnet.chain.state.tokens.get(Devnet.pathUsdAddress)?.balances.get(account.address.toLowerCase() as `0x${string}`)
    console.log(`(${index}) ${account.address}  ${formatUnits(balance ?? 0n, 6)} pathUSD\n    private key ${account.privateKey}`)
  }
  console.log(`\nTokens: pathUSD ${Devnet.pathUsdAddress}, AlphaUSD ${Devnet.alphaUsdAddress}`)
  console.log(`Channel reserve (TIP-1034): ${Devnet.channelReserveAddress}\n`)
  const shutdown = async () => {
    await devnet.stop()
    process.exit(0)
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

if (import.meta.url === `file://${process.argv[1]}`) void main()
