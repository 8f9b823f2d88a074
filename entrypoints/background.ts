import { type Browser, browser } from 'wxt/browser'
import { classify, extensionIdentity, listen } from '@/lib/background/router'
import { createBackground } from '@/lib/background/root'
import * as Schema from '@/lib/storage/schema'
import * as StreamServer from '@/lib/streams/portServer'
import * as RequestServer from '@/lib/streams/requestServer'
import { Wallet } from '@/lib/wallet/wallet'

/** Wiring only: storage access and migrations, the wallet, the router, the stream and request servers, the auto-lock alarm. */
export default defineBackground(() => {
  void Schema.restrictToTrustedContexts()
  const ready = Schema.migrate()
  const wallet = new Wallet()
  const { background, handlers, setStreamStopper } = createBackground({ version: browser.runtime.getManifest().version, wallet })
  listen(afterMigration(handlers, ready))
  const extension = extensionIdentity()
  const serverDeps = { scope: async () => (await ready, background.scope()), classify: (sender: Browser.runtime.MessageSender) => classify(sender, extension) }
  const streams = StreamServer.serve(serverDeps)
  const requests = RequestServer.serve(serverDeps)
  const stop = (origin?: string) => {
    streams.stop(origin)
    requests.stop(origin)
  }
  setStreamStopper(stop)
  wallet.onLock(() => stop())
  browser.alarms.onAlarm.addListener((alarm) => void wallet.onAlarm(alarm.name))
  void ready.then(() => background.updateBadge())
})

/** No request is answered before storage is in its current shape. */
function afterMigration<T extends Record<string, (...args: never[]) => Promise<unknown>>>(handlers: T, ready: Promise<void>): T {
  return Object.fromEntries(Object.entries(handlers).map(([method, handler]) => [method, async (...args: never[]) => (await ready, handler(...args))])) as T
}
