/**
 * The background's composition root: the wallet, one scope per account,
 * the badge, and the handlers of every protocol namespace. Wiring only;
 * each piece lives in its own module.
 */
import { browser } from 'wxt/browser'
import type { Handlers } from '@/lib/protocol/messages'
import type { TabNotice } from '@/lib/protocol/tabNotice'
import { withoutRedirects } from '@/lib/shared/http'
import { type AccountScope, createAccountScope } from './accountScope'
import type { Background, BackgroundOptions } from './background'
import { approvalHandlers } from './handlers/approvals'
import { channelHandlers } from './handlers/channels'
import { networkHandlers } from './handlers/network'
import { pageHandlers } from './handlers/page'
import { settingsHandlers } from './handlers/settings'
import { budgetHandlers } from './handlers/budgets'
import { walletHandlers } from './handlers/wallet'
import { updateBadge } from './siteStanding'

export type { Background, BackgroundOptions }

export function createBackground(options: BackgroundOptions): { background: Background; handlers: Handlers; setStreamStopper(stop: (origin?: string) => void): void } {
  const { wallet } = options
  const fetch = withoutRedirects(options.fetch ?? ((input, init) => globalThis.fetch(input, init)))
  const scopes = new Map<string, AccountScope>()
  let stopStreams: (origin?: string) => void = () => {}

  const background: Background = {
    options,
    wallet,
    async scope() {
      const address = await wallet.address()
      if (!address) return undefined
      let scope = scopes.get(address.toLowerCase())
      if (!scope)
        scopes.set(address.toLowerCase(), (scope = createAccountScope(address, { wallet, fetch, onPendingChanged: () => background.updateBadge(), notify: notifyReader })))
      return scope
    },
    async current() {
      const scope = await background.scope()
      if (!scope) throw new Error('Drip has no account yet.')
      return scope
    },
    forget(address) {
      scopes.delete(address.toLowerCase())
    },
    updateBadge,
    stopStreams: (origin) => stopStreams(origin),
    async siteTabs(origin) {
      const tabs = (await browser.tabs.query({})).filter((tab) => tab.id !== undefined && originOrUndefined(tab.url) === origin)
      return {
        async notify(what) {
          const notice: TabNotice = { drip: what }
          // A tab without Drip's content script (still loading, or a page the browser keeps to itself) just misses it.
          await Promise.all(tabs.map((tab) => browser.tabs.sendMessage(tab.id!, notice).catch(() => undefined)))
        },
        async reload() {
          await Promise.all(tabs.map((tab) => browser.tabs.reload(tab.id!).catch(() => undefined)))
          return tabs.length
        },
      }
    },
    userAction(handler) {
      return async (params) => {
        const result = await handler(params)
        if (await wallet.isUnlocked()) await wallet.touch()
        return result
      }
    },
  }

  const handlers: Handlers = {
    page: pageHandlers(options),
    popup: {
      ...walletHandlers(background),
      ...networkHandlers(background),
      ...approvalHandlers(background),
      ...channelHandlers(background),
      ...settingsHandlers(background),
      ...budgetHandlers(background),
    },
  }
  return { background, handlers, setStreamStopper: (stop) => (stopStreams = stop) }
}

/** A browser notification (budget alerts); none where the browser offers none (tests). */
async function notifyReader(message: string) {
  try {
    await browser.notifications.create({ type: 'basic', iconUrl: browser.runtime.getURL('/icon/128.png'), title: 'Drip', message })
  } catch {
    // No notifications here: the alert is in the history and on the popup's Home.
  }
}

function originOrUndefined(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).origin : undefined
  } catch {
    return undefined
  }
}
