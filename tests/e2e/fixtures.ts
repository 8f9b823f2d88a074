/**
 * The one place e2e files start and stop what they need: the devnet and the
 * demo site (in-process, on free ports), or a bare RPC responder, and a
 * browser with the built Drip in a clean profile. `useWorld` registers the
 * file's beforeAll/afterAll; the browser stops before the sites it visited.
 */
import { afterAll, beforeAll } from 'vitest'
import type { StartDemoOptions } from '@/demo/server'
import { type ChromiumDrip, launchChromium } from '../support/browser/chromium'
import { type FirefoxDrip, launchFirefox } from '../support/browser/firefox'
import { startDevnetAndDemo } from '../support/demoSite'
import { type RpcResponder, startRpcResponder } from '../support/rpcResponder'

export type DemoEnv = Awaited<ReturnType<typeof startDevnetAndDemo>>

type Drips = { chromium: ChromiumDrip; firefox: FirefoxDrip }

export type WorldOptions<B extends keyof Drips> = {
  browser: B
  /** Start the devnet and the demo site with these options (the default), or an RPC responder only. */
  sites?: { demo: Partial<StartDemoOptions> } | { rpcChainId: number }
  /** Firefox preferences on top of the clean profile's (Firefox only). */
  firefoxPrefs?: Record<string, unknown>
  /** More Chromium switches (Chromium only). */
  chromiumArgs?: string[]
}

export type World<B extends keyof Drips> = {
  readonly drip: Drips[B]
  /** The devnet and the demo site. */
  readonly env: DemoEnv
  /** A bare JSON-RPC responder, for files that need no chain. */
  readonly rpc: RpcResponder
}

export function useWorld<B extends keyof Drips>(options: WorldOptions<B>): World<B> {
  const sites = options.sites ?? { demo: {} }
  const started: Partial<{ drip: Drips[B]; env: DemoEnv; rpc: RpcResponder }> = {}
  beforeAll(async () => {
    if ('demo' in sites) started.env = await startDevnetAndDemo(sites.demo)
    else started.rpc = await startRpcResponder({ chainId: sites.rpcChainId })
    started.drip = (await (options.browser === 'chromium' ? launchChromium({ args: options.chromiumArgs }) : launchFirefox({ prefs: options.firefoxPrefs }))) as Drips[B]
  })
  afterAll(async () => {
    await started.drip?.close()
    await started.env?.stop()
    await started.rpc?.close()
  })
  const read = <K extends keyof typeof started>(key: K) => {
    const value = started[key]
    if (value === undefined) throw new Error(`The e2e world has no ${key}: read it inside a test, and check the file's useWorld options.`)
    return value as NonNullable<(typeof started)[K]>
  }
  return {
    get drip() {
      return read('drip')
    },
    get env() {
      return read('env')
    },
    get rpc() {
      return read('rpc')
    },
  }
}
