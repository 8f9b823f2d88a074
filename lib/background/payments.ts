/**
 * The payment code's wiring: the wallet, the account's scope and the
 * popup's handlers, sites' fetch (a page's Origin where Drip asks for a
 * page), the stream, request and socket servers, the challenges kept for
 * streams, the auto-lock. Loaded only when something needs it
 * (`lazyPayments.ts`): a page that never pays never loads it.
 */
import { type Browser, browser } from 'wxt/browser'
import type { PopupHandlers } from '@/lib/protocol/messages'
import { FreshChallenges } from '@/lib/payments/freshChallenges'
import { seenOnceReported } from '@/lib/payments/observedChallenges'
import { Serial } from '@/lib/shared/serial'
import { Wallet } from '@/lib/wallet/wallet'
import type { BackgroundOptions } from './background'
import { withPageOrigin } from './pageOriginFetch'
import { createBackground } from './root'
import { classify, extensionIdentity } from './router'
import * as StreamServer from './servers/portServer'
import * as RequestServer from './servers/requestServer'
import * as SocketServer from './servers/socketServer'

export type PaymentsOptions = Required<Pick<BackgroundOptions, 'version' | 'responses'>> & {
  /** Storage in its current shape (`storage/migrations.ts`): nothing is paid before. */
  ready: Promise<void>
}

/** What the entry hands the payment code: the popup's requests, pages' ports, the alarms. */
export type Payments = {
  popup: PopupHandlers
  connect(port: Browser.runtime.Port): void
  onAlarm(name: string): Promise<void>
}

export function startPayments({ version, responses, ready }: PaymentsOptions): Payments {
  const wallet = new Wallet()
  const { background, handlers, setStreamStopper } = createBackground({
    version,
    wallet,
    responses,
    fetch: withPageOrigin((input, init) => globalThis.fetch(input, init), browser.declarativeNetRequest),
  })
  const extension = extensionIdentity()
  const portListeners: ((port: Browser.runtime.Port) => void)[] = []
  const serverDeps = {
    scope: async () => (await ready, background.scope()),
    classify: (sender: Browser.runtime.MessageSender) => classify(sender, extension),
    ports: (listener: (port: Browser.runtime.Port) => void) => void portListeners.push(listener),
  }
  const turns = new Serial()
  const streams = StreamServer.serve({ ...serverDeps, turns, challenges: new FreshChallenges() })
  const observed = (tabId: number, url: string) => seenOnceReported(responses.statuses, responses.challenges, tabId, url)
  const requests = RequestServer.serve({ ...serverDeps, observed, turns })
  const sockets = SocketServer.serve({ ...serverDeps, turns })
  const stop = (origin?: string) => {
    streams.stop(origin)
    requests.stop(origin)
    sockets.stop(origin)
  }
  setStreamStopper(stop)
  wallet.onLock(() => stop())
  return {
    popup: handlers.popup,
    connect: (port) => {
      for (const listener of portListeners) listener(port)
    },
    onAlarm: (name) => wallet.onAlarm(name),
  }
}
