import { waitUntil, type DriverPage } from './driver'

export type ChainStateView = {
  state: string | null
  text: string
  chainId: string
  blockNumber: string
  rpcUrl: string
}

/** Drip's popup, as a reader sees it. */
export class PopupPage {
  constructor(readonly page: DriverPage) {}

  chainState(): Promise<ChainStateView> {
    return this.page.evaluate(() => {
      const text = (testId: string) => document.querySelector(`[data-testid="${testId}"]`)?.textContent ?? ''
      return {
        state: document.querySelector('[data-testid="chain-state"]')?.getAttribute('data-state') ?? null,
        text: text('chain-state'),
        chainId: text('chain-id'),
        blockNumber: text('block-number'),
        rpcUrl: text('rpc-url'),
      }
    })
  }

  /** The text of the popup's error alert, or null while there is none. */
  alertText(): Promise<string | null> {
    return this.page.evaluate(() => document.querySelector('[role="alert"]')?.textContent ?? null)
  }

  async setRpcUrl(url: string): Promise<void> {
    await this.page.locator('#rpc-url-input').fill(url)
    await this.page.locator('button[type="submit"]').click()
  }

  /** Waits for a chain state, optionally for a given RPC URL. */
  waitForState(state: string, rpcUrl?: string, timeoutMs?: number): Promise<ChainStateView> {
    return waitUntil(
      () => this.chainState(),
      (view) => view.state === state && (rpcUrl === undefined || view.rpcUrl === rpcUrl),
      { what: `chain state "${state}"${rpcUrl ? ` at ${rpcUrl}` : ''}`, timeoutMs },
    )
  }

  /** Block number shown, as a number (the popup renders "#123"). */
  static blockNumber(view: ChainStateView): number {
    const match = /^#(\d+)$/.exec(view.blockNumber)
    if (!match) throw new Error(`The popup shows no block number: ${JSON.stringify(view)}`)
    return Number(match[1])
  }
}

/** Reads the wallet marker the content script puts on every page. */
export function walletMarker(page: DriverPage): Promise<string | null> {
  return page.evaluate(() => document.documentElement.getAttribute('data-mpp-wallet'))
}
