import { parseDollars } from '@/lib/shared/amounts'
import { clickButton, clickWhenReady, waitUntil, type DriverPage } from './driver'

export type ChainStateView = {
  state: string | null
  text: string
  chainId: string
  blockNumber: string
  rpcUrl: string
}

/** A channel's row; its money figures exact, in dollars ("$0.042", from each figure's title: the text is rounded to cents). */
export type ChannelRow = { origin: string; status: string; deposit: string; spent: string; remaining: string; settled: string; statusText: string }

/** Drip's popup, as a reader sees it. */
export class PopupPage {
  /** The recovery phrase of the account this page object created, once it has. */
  recoveryPhrase: string | undefined

  constructor(readonly page: DriverPage) {}

  screen(): Promise<'onboarding' | 'locked' | 'wallet' | 'loading'> {
    return this.page.evaluate(() => {
      if (document.getElementById('onboarding-heading')) return 'onboarding' as const
      if (document.getElementById('unlock-heading')) return 'locked' as const
      if (document.querySelector('nav.tabs')) return 'wallet' as const
      return 'loading' as const
    })
  }

  /** What Drip signed on the first channel of the list, in raw units, once the list shows it. */
  async signedOnFirstChannel(): Promise<bigint> {
    const [row] = await waitUntil(() => this.channels(), (rows) => rows.length > 0, { what: 'the channel row' })
    return parseDollars(row!.spent.replace('$', ''), 'Spent')
  }

  waitForScreen(screen: Awaited<ReturnType<PopupPage['screen']>>, timeoutMs = 20_000) {
    return waitUntil(() => this.screen(), (s) => s === screen, { what: `the ${screen} screen`, timeoutMs })
  }

  /** Creates an account, writes its recovery phrase down and confirms it; returns the phrase. */
  async createAccount(password: string): Promise<string> {
    await this.waitForScreen('onboarding')
    await this.page.locator('input[name="password"]').fill(password)
    await this.page.locator('input[name="confirm"]').fill(password)
    await clickButton(this.page, 'Create account', 'form')
    const words = await waitUntil(
      () => this.page.evaluate<string[]>(`[...document.querySelectorAll('[data-testid="recovery-phrase"] li')].map((li) => li.textContent)`),
      (list) => list.length === 12,
      { what: 'the recovery phrase' },
    )
    await clickWhenReady(this.page, 'I wrote it down')
    const asked = await waitUntil(
      () => this.page.evaluate<string[]>(`[...document.querySelectorAll('input[name^="word"]')].map((input) => input.name)`),
      (names) => names.length === 2,
      { what: 'the words to confirm' },
    )
    for (const name of asked) await this.page.locator(`input[name="${name}"]`).fill(words[Number(name.slice(4)) - 1]!)
    await clickButton(this.page, 'Confirm', 'form')
    await this.waitForScreen('wallet')
    this.recoveryPhrase = words.join(' ')
    return this.recoveryPhrase
  }

  /** Restores an account from its recovery phrase (or private key) on a fresh install. */
  async importAccount(phraseOrKey: string, password: string) {
    await this.waitForScreen('onboarding')
    await clickWhenReady(this.page, 'Existing account')
    await waitUntil(() => this.page.evaluate<boolean>(`!!document.querySelector('input[name="privateKey"]')`), (shown) => shown, { what: 'the phrase field' })
    await this.page.locator('input[name="privateKey"]').fill(phraseOrKey)
    await this.page.locator('input[name="password"]').fill(password)
    await this.page.locator('input[name="confirm"]').fill(password)
    await clickButton(this.page, 'Import account', 'form')
    await this.waitForScreen('wallet')
  }

  /** A new reader's first minute: create an account, point Drip at the devnet, get test funds. */
  async setUpFunded(rpcUrl: string, password = 'correct horse battery') {
    await this.createAccount(password)
    await this.setRpcUrl(rpcUrl)
    await this.tab('Home')
    await this.waitForState('live', rpcUrl)
    return this.fund()
  }

  async unlock(password: string) {
    await this.waitForScreen('locked')
    await this.page.locator('input[name="password"]').fill(password)
    await clickButton(this.page, 'Unlock')
    await this.waitForScreen('wallet')
  }

  /** Opens a section; Home's button also counts pending requests ("Home (1)"). */
  /** Each approved site's line in Sites: prices seen, the per-payment limit, spent of the cap. */
  async siteLimits(): Promise<Record<string, string>> {
    await this.tab('Sites')
    return waitUntil(
      () =>
        this.page.evaluate(() =>
          Object.fromEntries(
            [...document.querySelectorAll('[data-testid="site"]')].map((row) => [row.querySelector('.site')?.firstChild?.textContent ?? '', row.querySelector('[data-testid="site-limits"]')?.textContent ?? '']),
          ),
        ),
      (sites) => Object.keys(sites).length > 0,
      { what: 'the approved sites' },
    )
  }

  async tab(name: 'Home' | 'Sites' | 'Activity' | 'Settings') {
    const click = `(() => { const b = [...document.querySelectorAll('nav.tabs button')].find((b) => b.textContent.trim().replace(/ \\(\\d+\\)$/, '') === ${JSON.stringify(name)}); if (b) b.click(); return !!b })()`
    await waitUntil(() => this.page.evaluate<boolean>(click), (clicked) => clicked, { what: `the ${name} section` })
  }

  address(): Promise<string> {
    return waitUntil(() => this.text('[data-testid="address"]'), (a) => /^0x[0-9a-fA-F]{40}$/.test(a), { what: 'the account address' })
  }

  text(selector: string): Promise<string> {
    return this.page.evaluate<string>(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? ''`)
  }

  async fund() {
    await clickWhenReady(this.page, 'Get test funds')
    return waitUntil(() => this.text('[data-testid="balance-pathUSD"]'), (b) => b !== '' && b !== '$0' && b !== '$0.00', { what: 'a funded balance', timeoutMs: 20_000 })
  }

  // Page functions here define no named helpers inside: tsx (the scripts' runner) would wrap them
  // in a `__name` call that does not exist in the page.
  chainState(): Promise<ChainStateView> {
    return this.page.evaluate(() => {
      const [state, text, chainId, blockNumber, rpcUrl] = ['chain-state', 'chain-state', 'chain-id', 'block-number', 'rpc-url'].map(
        (testId) => document.querySelector(`[data-testid="${testId}"]`),
      )
      return {
        state: state?.getAttribute('data-state') ?? null,
        text: text?.textContent ?? '',
        chainId: chainId?.textContent ?? '',
        blockNumber: blockNumber?.textContent ?? '',
        rpcUrl: rpcUrl?.textContent ?? '',
      }
    })
  }

  /** The text of the first error alert, or null while there is none. */
  alertText(): Promise<string | null> {
    return this.page.evaluate(() => document.querySelector('[role="alert"]')?.textContent ?? null)
  }

  /** Sets a network's RPC URL from Settings, then returns Home. */
  async setRpcUrl(url: string, network = 'Localnet') {
    await this.tab('Settings')
    const form = `form[aria-label="${network} RPC"]`
    await waitUntil(() => this.text(form), (t) => t !== '', { what: `the ${network} RPC form` })
    await this.page.locator(`${form} input[name="rpcUrl"]`).fill(url)
    await clickButton(this.page, 'Save', form)
  }

  /** Sets how much Drip signs streams ahead, in dollars, from Settings. */
  async setSignAhead(dollars: string) {
    await this.tab('Settings')
    const form = 'section[aria-labelledby="limits-heading"] form'
    await waitUntil(() => this.text(form), (t) => t !== '', { what: 'the limits form' })
    await this.page.locator(`${form} input[name="signAhead"]`).fill(dollars)
    await clickButton(this.page, 'Save limits', form)
    await this.tab('Home')
  }

  waitForState(state: string, rpcUrl?: string, timeoutMs?: number): Promise<ChainStateView> {
    return waitUntil(
      () => this.chainState(),
      (view) => view.state === state && (rpcUrl === undefined || view.rpcUrl === rpcUrl),
      { what: `chain state "${state}"${rpcUrl ? ` at ${rpcUrl}` : ''}`, timeoutMs },
    )
  }

  pendingOrigins(): Promise<string[]> {
    return this.page.evaluate(() => [...document.querySelectorAll('[data-testid="pending-request"] .site')].map((e) => e.textContent ?? ''))
  }

  /** Approves `origin`'s pending request with a max deposit in dollars, or as the popup pre-filled it (`'as pre-filled'`); returns the max deposit approved. */
  async approve(origin: string, maxDeposit: string | 'as pre-filled'): Promise<string> {
    const form = `form[aria-label="Payment request from ${origin}"]`
    await waitUntil(() => this.pendingOrigins(), (origins) => origins.includes(origin), { what: `a pending request from ${origin}` })
    const field = this.page.locator(`${form} input[name="maxDeposit"]`)
    if (maxDeposit !== 'as pre-filled') await field.fill(maxDeposit)
    const approved = await this.page.evaluate<string>(`document.querySelector(${JSON.stringify(`${form} input[name="maxDeposit"]`)}).value`)
    await clickButton(this.page, 'Approve', form)
    await waitUntil(() => this.pendingOrigins(), (origins) => !origins.includes(origin), { what: `${origin} to leave the pending list` })
    return approved
  }

  channels(): Promise<ChannelRow[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="channel"]')].map((row) => {
        // Money figures exactly, from their titles ("$0.042"; the text reads "$0.04").
        const [deposit, spent, remaining, settled] = ['deposit', 'spent', 'remaining', 'settled'].map((id) => row.querySelector(`[data-testid="${id}"]`)?.getAttribute('title') ?? '') as [string, string, string, string]
        const statusText = row.querySelector('[data-testid="status"]')?.textContent ?? ''
        return { origin: row.querySelector('.site')?.textContent ?? '', status: row.getAttribute('data-status') ?? '', deposit, spent, remaining, settled, statusText }
      }),
    )
  }

  /** Revokes `origin` under Sites (it asks first) and waits until the site is gone from the list. */
  async revoke(origin: string) {
    await this.tab('Sites')
    const sites = () => this.page.evaluate<string[]>(`[...document.querySelectorAll('[data-testid="site"] .site')].map((site) => site.firstChild?.textContent ?? '')`)
    await waitUntil(sites, (listed) => listed.includes(origin), { what: `${origin} under Sites` })
    // This site's buttons only: its Revoke sits in its own form, and asks in a group named for it.
    await clickWhenReady(this.page, 'Revoke', `form[aria-label=${JSON.stringify(`Change the max deposit for ${origin}`)}]`)
    await clickWhenReady(this.page, 'Yes, revoke', `[role="group"][aria-label=${JSON.stringify(`Revoke ${origin}?`)}]`)
    await waitUntil(sites, (listed) => !listed.includes(origin), { what: `${origin} to be revoked` })
  }

  /** Closes `origin`'s first open channel and waits until it shows as closed (one more closed channel than before). */
  async closeChannel(origin: string) {
    const closed = (rows: ChannelRow[]) => rows.filter((r) => r.origin === origin && r.status === 'closed').length
    // The channel list loads after the wallet screen (slower on a fresh worker).
    const rows = await waitUntil(() => this.channels(), (rows) => rows.some((r) => r.origin === origin && r.status === 'open'), { what: `an open channel of ${origin}` })
    const before = closed(rows)
    await clickWhenReady(this.page, 'Close', '[data-testid="channel"][data-status="open"]')
    return waitUntil(() => this.channels(), (rows) => closed(rows) > before, { what: 'the channel to close', timeoutMs: 30_000 })
  }

  static blockNumber(view: ChainStateView): number {
    const match = /^#(\d+)$/.exec(view.blockNumber)
    if (!match) throw new Error(`The popup shows no block number: ${JSON.stringify(view)}`)
    return Number(match[1])
  }
}

/** Reads the wallet mark the content script puts on the pages of approved sites. */
export function walletMarker(page: DriverPage): Promise<string | null> {
  return page.evaluate(() => document.documentElement.getAttribute('data-mpp-wallet'))
}
