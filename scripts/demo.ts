/**
 * `npm run demo`: the whole Drip demo from a fresh clone. Starts the devnet
 * and the paywalled demo site, builds Drip, and opens Chromium with Drip
 * loaded when there is a display (otherwise prints how to load it).
 * Ctrl-C stops everything.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'
import { formatUnits } from 'viem'
import { prices } from '../demo/app'
import { findArticle } from '../demo/content'
import { startDemo } from '../demo/server'
import * as Devnet from '../devnet/index'

const root = fileURLToPath(new URL('..', import.meta.url))
const extensionDir = `${root}.output/chrome-mv3`
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const { values } = parseArgs({
  options: {
    'rpc-port': { type: 'string', default: '8545' },
    port: { type: 'string', default: '3000' },
    'no-browser': { type: 'boolean', default: false },
  },
})

async function main() {
  const devnet = await Devnet.start({
    port: Number(values['rpc-port']),
    onTransaction: (tx, receipt) =>
      console.log(`  chain: block ${receipt.blockNumber} ${tx.kind} from ${tx.from} ${receipt.status}, fee ${formatUnits(receipt.fee, 6)}`),
  }).catch((error: Error) => fail(`Could not start the devnet on port ${values['rpc-port']}: ${error.message} (is another devnet running? try --rpc-port)`))
  const recipient = devnet.accounts[1]!
  const demo = await startDemo({
    rpcUrl: devnet.url,
    recipientKey: recipient.privateKey,
    port: Number(values.port),
    secretKey: process.env.MPP_SECRET_KEY,
    photoSource: process.env.PHOTO_SOURCE === 'picsum' ? 'picsum' : 'local',
  }).catch((error: Error) => fail(`Could not start the demo site on port ${values.port}: ${error.message} (try --port)`))

  console.log('\nBuilding Drip for Chromium…')
  execFileSync('npx', ['wxt', 'build'], { cwd: root, stdio: 'inherit' })

  const articleWords = findArticle('metered-reading')!.words.filter((word) => word !== '\n').length
  console.log(`
Drip demo is running.
  Devnet (Tempo localnet, chain 1337): ${devnet.url}
  Demo site:                           ${demo.origin}/
    Gallery ($0.01 per photo):         ${demo.origin}/gallery
    Poem ($0.001 per word, streamed):  ${demo.origin}/poem
    Article (${articleWords} words, $${prices.word} each): ${demo.origin}/article/metered-reading
  Payments go to dev account #1 ${recipient.address}.
`)

  const display = process.env.DISPLAY || process.env.WAYLAND_DISPLAY
  let closeBrowser = async () => {}
  if (!values['no-browser'] && display && existsSync(chromiumPath)) {
    const profile = `${root}.tmp/demo-profile`
    mkdirSync(profile, { recursive: true })
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: false,
      // --test-type: no "unsupported command-line flag" bar over the demo (Playwright adds --no-sandbox when run as root).
      args: [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, '--no-first-run', '--test-type'],
    })
    const page = context.pages()[0] ?? (await context.newPage())
    await page.goto(`${demo.origin}/`)
    console.log('Chromium is open with Drip loaded (profile in .tmp/demo-profile). Click the Drip icon to start.')
    closeBrowser = () => context.close()
  } else {
    console.log(`No display${display ? '' : ' (DISPLAY is not set)'}: load Drip by hand.
  1. Open chrome://extensions in Chrome or Chromium and turn on "Developer mode".
  2. Click "Load unpacked" and choose ${extensionDir}
  3. Open ${demo.origin}/ and click the Drip icon in the toolbar.
  Drip's default network is Localnet at http://127.0.0.1:8545${devnet.port === 8545 ? '' : ` (set it to ${devnet.url} in the popup)`}.`)
  }
  console.log('\nPress Ctrl-C to stop.')

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    console.log('\nStopping…')
    await closeBrowser().catch(() => undefined)
    await demo.close()
    await devnet.stop()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

function fail(message: string): never {
  console.error(`demo: ${message}`)
  process.exit(1)
}

void main()
