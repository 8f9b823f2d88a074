import { type Browser, browser } from 'wxt/browser'
import type { Handlers } from '@/lib/protocol/messages'
import { classify, extensionIdentity, listen } from '@/lib/background/router'
import { withPageOrigin } from '@/lib/background/pageOriginFetch'
import { createBackground } from '@/lib/background/root'
import { FreshChallenges } from '@/lib/payments/freshChallenges'
import { ObservedChallenges } from '@/lib/payments/observedChallenges'
import { SeenResponses } from '@/lib/payments/seenResponses'
import { Serial } from '@/lib/shared/serial'
import * as Migrations from '@/lib/storage/migrations'
import * as Schema from '@/lib/storage/schema'
import * as StreamServer from '@/lib/background/servers/portServer'
import * as RequestServer from '@/lib/background/servers/requestServer'
import * as SocketServer from '@/lib/background/servers/socketServer'
import { Wallet } from '@/lib/wallet/wallet'

/** Wiring only: storage access and migrations, the wallet, what the browser answers tabs (402s and statuses), sites' fetch (a page's Origin where Drip asks for a page), the router, the stream, request and socket servers, the challenges kept for streams, the auto-lock alarm. */
export default defineBackground(() => {
  void Schema.restrictToTrustedContexts()
  const ready = Migrations.migrate()
  const wallet = new Wallet()
  const observed = new ObservedChallenges()
  const statuses = new SeenResponses()
  browser.webRequest.onHeadersReceived.addListener(
    (details) => {
      observed.record(details)
      statuses.record(details)
      return undefined
    },
    { urls: ['<all_urls>'] },
    ['responseHeaders'],
  )
  browser.webRequest.onErrorOccurred.addListener((details) => statuses.failed(details), { urls: ['<all_urls>'] })
  const { background, handlers, setStreamStopper } = createBackground({
    version: browser.runtime.getManifest().version,
    wallet,
    responses: { statuses, challenges: observed },
    fetch: withPageOrigin((input, init) => globalThis.fetch(input, init), browser.declarativeNetRequest),
  })
  listen(afterMigration(handlers, ready))
  const extension = extensionIdentity()
  const serverDeps = { scope: async () => (await ready, background.scope()), classify: (sender: Browser.runtime.MessageSender) => classify(sender, extension) }
  const turns = new Serial()
  const streams = StreamServer.serve({ ...serverDeps, turns, challenges: new FreshChallenges() })
  const requests = RequestServer.serve({ ...serverDeps, observed, turns })
  const sockets = SocketServer.serve({ ...serverDeps, turns })
  const stop = (origin?: string) => {
    streams.stop(origin)
    requests.stop(origin)
    sockets.stop(origin)
  }
  setStreamStopper(stop)
  wallet.onLock(() => stop())
  browser.alarms.onAlarm.addListener((alarm) => void wallet.onAlarm(alarm.name))
  void ready.then(() => background.updateBadge())
})

/** No request is answered before storage is in its current shape. */
function afterMigration(handlers: Handlers, ready: Promise<void>): Handlers {
  const waiting = <T extends object>(table: T): T =>
    Object.fromEntries(Object.entries(table).map(([method, handler]: [string, (...args: never[]) => Promise<unknown>]) => [method, async (...args: never[]) => (await ready, handler(...args))])) as T
  return { page: waiting(handlers.page), popup: waiting(handlers.popup) }
}
