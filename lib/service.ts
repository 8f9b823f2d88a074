/**
 * The background's answers to the messaging protocol. The entry file only
 * wires this up; everything here is testable with the fake browser.
 */
import { Receipt } from 'mppx'
import { type Address, formatUnits, type Hex, type LocalAccount } from 'viem'
import { Actions } from 'viem/tempo'
import { browser } from 'wxt/browser'
import { Approvals } from './approvals'
import * as ChainStatus from './chainStatus'
import * as Channels from './channels'
import { Ledger } from './ledger'
import type { Caller, Handlers, NetworkSetting, NetworkStatus, PendingView, SiteView } from './messaging'
import * as Networks from './networks'
import * as Payments from './payments'
import * as Policy from './policy'
import { Sessions } from './sessions'
import * as Settings from './settings'
import type { Wallet } from './wallet'

export type ServiceOptions = {
  version: string
  wallet: Wallet
  /** How long an RPC may take before the popup shows it as unreachable. */
  rpcTimeoutMs?: number
  fetch?: typeof globalThis.fetch
}

export type Service = { handlers: Handlers; updateBadge: () => Promise<void>; paymentDeps: Payments.PaymentDeps }

export function createService(options: ServiceOptions): Service {
  const { wallet } = options
  const fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const contexts = new Map<string, Payments.AccountContext>()
  const sessionsByAccount = new Map<string, Sessions>()

  function contextFor(address: Address): Payments.AccountContext {
    const key = address.toLowerCase()
    let context = contexts.get(key)
    if (!context) {
      const approvals = new Approvals(address)
      const ledger = new Ledger(address)
      const sessions = (account: LocalAccount) => {
        let existing = sessionsByAccount.get(key)
        if (!existing) {
          existing = new Sessions({ account, getClient: Settings.clientFor, approvals, ledger, fetch })
          sessionsByAccount.set(key, existing)
        }
        return existing
      }
      contexts.set(key, (context = { approvals, ledger, sessions }))
    }
    return context
  }

  async function current() {
    const address = await wallet.address()
    if (!address) throw new Error('Drip has no account yet.')
    return { address, ...contextFor(address) }
  }

  async function unlockedSessions() {
    const { sessions } = await current()
    return sessions(await wallet.account())
  }

  async function updateBadge() {
    const address = await wallet.address()
    const count = address ? (await contextFor(address).approvals.pending()).length : 0
    try {
      await browser.action.setBadgeText({ text: count ? String(count) : '' })
      await browser.action.setBadgeBackgroundColor({ color: '#cf222e' })
    } catch {
      // No toolbar button in this context (tests): the count is still in the popup.
    }
  }

  const paymentDeps: Payments.PaymentDeps = { wallet, contextFor, enabledChainIds: Settings.enabledChainIds, fetch, onPendingChanged: () => updateBadge() }

  async function networkStatus(): Promise<NetworkStatus> {
    const { network, rpcUrl } = await Settings.getActiveNetwork()
    const status = await ChainStatus.read(rpcUrl, network.chain.id, { timeoutMs: options.rpcTimeoutMs })
    return { network: { id: network.id, name: network.name, chainId: network.chain.id }, rpcUrl, status }
  }

  async function networkList(): Promise<NetworkSetting[]> {
    const active = await Settings.getActiveNetwork()
    return (await Settings.networks()).map(({ network, rpcUrl, enabled }) => ({
      id: network.id,
      name: network.name,
      chainId: network.chain.id,
      testnet: network.testnet,
      rpcUrl,
      enabled,
      active: network.id === active.network.id,
    }))
  }

  async function pendingViews(): Promise<PendingView[]> {
    const { approvals } = await current()
    const cap = await Settings.defaultCap()
    return (await approvals.pending()).map((pending) => ({
      ...pending,
      suggestedMaxDeposit: formatUnits(
        Policy.defaultMaxDeposit({ amount: BigInt(pending.amount), suggestedDeposit: pending.suggestedDeposit ? BigInt(pending.suggestedDeposit) : undefined }, cap),
        Policy.decimals,
      ),
    }))
  }

  async function siteViews(): Promise<SiteView[]> {
    const { approvals, ledger } = await current()
    const spend = await ledger.spendByOrigin()
    return (await approvals.list()).map((approval) => ({ ...approval, spent: spend[approval.origin] ?? '0' }))
  }

  async function settingsView() {
    return {
      autoLockMinutes: await wallet.autoLockMinutes(),
      defaultCap: formatUnits(await Settings.defaultCap(), Policy.decimals),
      lookaheadUnits: await Settings.lookaheadUnits(),
    }
  }

  const handlers: Handlers = {
    async 'page.connect'(_params, caller) {
      return { wallet: 'drip', version: options.version, origin: pageOrigin(caller) }
    },
    async 'page.pay'(request, caller) {
      return Payments.payForPage(
        paymentDeps,
        pageOrigin(caller),
        { url: String(request?.url ?? ''), method: String(request?.method ?? 'GET').toUpperCase(), wwwAuthenticate: request?.wwwAuthenticate ?? null },
      )
    },
    async 'page.receipt'({ receipt }, caller) {
      const address = await wallet.address()
      if (!address) return { recorded: false }
      return { recorded: await recordReceipt(contextFor(address).ledger, address, pageOrigin(caller), receipt) }
    },

    'wallet.status': () => wallet.status(),
    async 'wallet.create'({ password }) {
      await wallet.create(password)
      return wallet.status()
    },
    async 'wallet.import'({ privateKey, password }) {
      await wallet.importKey(privateKey, password)
      return wallet.status()
    },
    async 'wallet.unlock'({ password }) {
      await wallet.unlock(password)
      return wallet.status()
    },
    async 'wallet.lock'() {
      await wallet.lock()
      return wallet.status()
    },
    async 'wallet.export'({ password }) {
      return { privateKey: await wallet.exportPrivateKey(password) }
    },
    async 'wallet.reset'({ confirmation }) {
      const address = await wallet.address()
      await wallet.reset(confirmation)
      if (address) {
        const keys = Object.keys(await browser.storage.local.get(null)).filter((key) => key.includes(address.toLowerCase()))
        await browser.storage.local.remove(keys)
        contexts.delete(address.toLowerCase())
        sessionsByAccount.delete(address.toLowerCase())
      }
      await updateBadge()
      return wallet.status()
    },
    async 'wallet.overview'() {
      const { address, approvals } = await current()
      const active = (await networkList()).find((n) => n.active)!
      const tokens = new Map<string, Address>([[Networks.pathUsd.toLowerCase(), Networks.pathUsd]])
      for (const approval of await approvals.list())
        if (approval.chainId === active.chainId) tokens.set(approval.currency.toLowerCase(), approval.currency)
      try {
        const client = await Settings.clientFor(active.chainId)
        const balances = await Promise.all(
          [...tokens.values()].map(async (token) => {
            const [balance, metadata] = await Promise.all([
              Actions.token.getBalance(client, { account: address, token }),
              Actions.token.getMetadata(client, { token }).catch(() => undefined),
            ])
            return { token, symbol: metadata?.symbol ?? token, amount: balance.amount.toString() }
          }),
        )
        return { address, network: active, balances, balanceError: undefined }
      } catch (error) {
        return { address, network: active, balances: [], balanceError: `Could not read balances: ${(error as Error).message.split('\n')[0]}` }
      }
    },
    async 'wallet.fund'() {
      const { address } = await current()
      const active = (await networkList()).find((n) => n.active)!
      if (!active.testnet) throw new Error('Test funds exist only on test networks. On mainnet, send funds to your address.')
      const client = await Settings.clientFor(active.chainId)
      const receipts = await Actions.faucet.fundSync(client, { account: address })
      return { hashes: receipts.map((r) => r.transactionHash) }
    },

    'network.status': networkStatus,
    'network.list': networkList,
    async 'network.setRpcUrl'({ networkId, rpcUrl }) {
      await Settings.setRpcUrl(networkId, rpcUrl)
      return networkStatus()
    },
    async 'network.setEnabled'({ networkId, enabled }) {
      await Settings.setNetworkEnabled(networkId, enabled)
      return networkList()
    },
    async 'network.select'({ networkId }) {
      await Settings.setActiveNetwork(networkId)
      return networkList()
    },

    'approvals.pending': pendingViews,
    async 'approvals.approve'({ origin, maxDeposit, priceCeiling }) {
      const { approvals, ledger } = await current()
      // A pending request approves the site's new terms; without one, the user is raising an existing approval.
      const source = (await approvals.pendingFor(origin)) ?? (await approvals.get(origin))
      if (!source) throw new Error(`${origin} has not asked for payment. Visit it first.`)
      const approval = Policy.approvalFor(Policy.termsOf(source), origin, { maxDeposit, priceCeiling })
      await approvals.grant(approval)
      await ledger.append({ origin, kind: 'approved', amount: approval.maxDeposit, detail: `Approved up to ${Policy.usd(BigInt(approval.maxDeposit))}.` })
      await updateBadge()
      return siteViews()
    },
    async 'approvals.deny'({ origin }) {
      const { approvals, ledger } = await current()
      await approvals.deny(origin)
      await ledger.append({ origin, kind: 'denied', detail: 'Denied for this browser session.' })
      await updateBadge()
      return pendingViews()
    },
    'approvals.list': siteViews,
    async 'approvals.revoke'({ origin }) {
      const { approvals, ledger } = await current()
      if (await approvals.revoke(origin)) await ledger.append({ origin, kind: 'revoked', detail: 'Payments stopped.' })
      return siteViews()
    },

    async 'channels.list'() {
      const { address } = await current()
      const status = await wallet.status()
      if (status.state !== 'unlocked') return []
      return contextFor(address).sessions(await wallet.account()).views()
    },
    async 'channels.close'({ origin, channelId }) {
      return (await unlockedSessions()).close(origin, channelId)
    },
    async 'channels.forceClose'({ origin, channelId }) {
      return (await unlockedSessions()).requestClose(origin, channelId)
    },
    async 'channels.withdraw'({ origin, channelId }) {
      return (await unlockedSessions()).withdraw(origin, channelId)
    },
    async 'ledger.list'() {
      return (await current()).ledger.list()
    },

    'settings.get': settingsView,
    async 'settings.set'({ autoLockMinutes, defaultCap, lookaheadUnits }) {
      if (autoLockMinutes !== undefined) await wallet.setAutoLockMinutes(autoLockMinutes)
      if (lookaheadUnits !== undefined) await Settings.setLookaheadUnits(lookaheadUnits)
      if (defaultCap !== undefined) await Settings.setDefaultCap(Policy.parseUsd(defaultCap, 'Default cap'))
      return settingsView()
    },
  }
  // What the user does in the popup counts as activity and pushes auto-lock back; polling reads do not.
  for (const method of userActions) {
    const handler = handlers[method] as (params: unknown, caller: Caller) => Promise<unknown>
    ;(handlers as Record<string, unknown>)[method] = async (params: unknown, caller: Caller) => {
      const result = await handler(params, caller)
      if ((await wallet.status()).state === 'unlocked') await wallet.touch()
      return result
    }
  }
  return { handlers, updateBadge, paymentDeps }
}

const userActions = [
  'approvals.approve',
  'approvals.deny',
  'approvals.revoke',
  'settings.set',
  'network.setRpcUrl',
  'network.setEnabled',
  'network.select',
  'wallet.fund',
] as const satisfies readonly (keyof Handlers)[]

/** Records a site's session receipt, but only for a channel Drip holds for that same site. */
async function recordReceipt(ledger: Ledger, address: Address, origin: string, header: string): Promise<boolean> {
  let receipt: { channelId?: unknown; acceptedCumulative?: unknown; spent?: unknown }
  try {
    receipt = Receipt.deserialize(header) as typeof receipt
  } catch {
    return false
  }
  if (typeof receipt.channelId !== 'string' || typeof receipt.acceptedCumulative !== 'string' || !/^\d+$/.test(receipt.acceptedCumulative)) return false
  const ours = (await Channels.list(address)).some((r) => r.origin === origin && r.entry.channelId.toLowerCase() === (receipt.channelId as string).toLowerCase())
  if (!ours) return false
  await ledger.append({
    origin,
    kind: 'receipt',
    channelId: receipt.channelId as Hex,
    detail: `The site accepted ${Policy.usd(BigInt(receipt.acceptedCumulative))} on this channel.`,
  })
  return true
}

function pageOrigin(caller: Caller): string {
  if (caller.kind !== 'page') throw new Error('Only content scripts speak for pages.')
  return caller.origin
}
