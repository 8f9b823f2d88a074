/**
 * Issue 14, "Get test funds sometimes does nothing for 30 s": a new reader's
 * first minute, again and again, each in a fresh Chromium profile, as fast
 * as a reader clicks: create an account, save the devnet's RPC URL over one
 * that also answers (another chain, as when `npm run demo` runs on 8545),
 * go Home, click Get test funds at once. Every click must say something at
 * once and fund the account on the RPC just saved.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchChromium } from '../support/browser/chromium'
import { startDevnet, type TestDevnet } from '../support/devnet'
import { clickWhenReady, waitUntil } from '../support/pages/driver'
import { PopupPage } from '../support/pages/popup'
import { figures, full } from './scale'

const runs = full ? 20 : 10
const results = figures('First minute: Get test funds (Chromium)')
results.expectZero('clicks with no answer within 1 s', 'accounts not funded on the saved RPC within 10 s', 'funds sent to the replaced RPC')
afterAll(() => results.print())

describe('a new reader’s first click on Get test funds', () => {
  let devnet: TestDevnet
  let decoy: TestDevnet
  beforeAll(async () => {
    devnet = await startDevnet()
    decoy = await startDevnet()
  })
  afterAll(async () => {
    await devnet?.stop()
    await decoy?.stop()
  })

  test(`${runs} fresh profiles in a row: every first click answers at once and funds the saved RPC`, async () => {
    for (let run = 0; run < runs; run++) {
      const drip = await launchChromium()
      try {
        const popup = new PopupPage(await drip.openPopup())
        await popup.createAccount('correct horse battery')
        await popup.setRpcUrl(decoy.url)
        await waitUntil(() => popup.text('form[aria-label="Localnet RPC"] button'), (t) => t === 'Save', { what: 'the first save' })
        // The reader's quick first minute: save the real RPC, go Home, click at once.
        await popup.setRpcUrl(devnet.url)
        await popup.tab('Home')
        const clicked = Date.now()
        await clickWhenReady(popup.page, 'Get test funds')
        const answer = await waitUntil(
          () => popup.page.evaluate(() => document.querySelector('[aria-labelledby="account-heading"]')?.textContent ?? ''),
          (text) => /Asking the|Requesting|Requested test funds|did not answer|refused/i.test(text),
          { what: 'an answer to the click', timeoutMs: 30_000, intervalMs: 20 },
        ).catch(() => '')
        if (!answer || Date.now() - clicked > 1_000) results.add('clicks with no answer within 1 s')
        const address = (await popup.address()) as `0x${string}`
        const funded = await waitUntil(() => devnet.balance(address), (b) => b > 0n, { what: 'funds on the saved RPC', timeoutMs: 10_000 }).catch(() => 0n)
        if (funded === 0n) results.add('accounts not funded on the saved RPC within 10 s')
        if ((await decoy.balance(address)) > 0n) results.add('funds sent to the replaced RPC')
        results.add('first minutes run')
      } finally {
        await drip.close()
      }
    }
    expect(results.get('funds sent to the replaced RPC')).toBe(0)
    expect(results.get('accounts not funded on the saved RPC within 10 s')).toBe(0)
    expect(results.get('clicks with no answer within 1 s')).toBe(0)
  }, 600_000)
})
