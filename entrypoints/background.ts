import { browser } from 'wxt/browser'
import type { Handlers, PopupHandlers } from '@/lib/protocol/messages'
import { pageHandlers } from '@/lib/background/handlers/page'
import { keepForLater, lazyPayments } from '@/lib/background/lazyPayments'
import { listen } from '@/lib/background/router'
import { observedRequestFilter } from '@/lib/background/observedRequests'
import { keepPayingSiteScriptCurrent } from '@/lib/background/payingSiteScript'
import { updateBadge } from '@/lib/background/siteStanding'
import { ObservedChallenges } from '@/lib/payments/observedChallenges'
import { SeenResponses } from '@/lib/payments/seenResponses'
import { requestPortName } from '@/lib/protocol/requestPort'
import { socketPortName } from '@/lib/protocol/socketPort'
import { streamPortName } from '@/lib/protocol/streamPort'
import * as Migrations from '@/lib/storage/migrations'
import * as Schema from '@/lib/storage/schema'

/** Pages' ports the payment code serves: a stream, a paid request, a paid socket. */
const paymentPorts = new Set([streamPortName, requestPortName, socketPortName])

/**
 * Wiring only: storage access and migrations, what the browser answers tabs (402s and statuses), the page methods,
 * the badge and the paying sites' script, here; the payment code (wallet, popup methods, pages' ports, auto-lock) loaded on first use.
 */
export default defineBackground(() => {
  void Schema.restrictToTrustedContexts()
  const ready = Migrations.migrate()
  const observed = new ObservedChallenges()
  const statuses = new SeenResponses()
  const observedRequests = observedRequestFilter(import.meta.env.FIREFOX)
  browser.webRequest.onHeadersReceived.addListener(
    (details) => {
      observed.record(details)
      statuses.record(details)
      return undefined
    },
    observedRequests,
    ['responseHeaders'],
  )
  browser.webRequest.onErrorOccurred.addListener((details) => statuses.failed(details), observedRequests)
  const version = browser.runtime.getManifest().version
  const responses = { statuses, challenges: observed }
  keepForLater()
  const payments = lazyPayments({ version, responses, ready })
  // A page of a site that pays loads the payment code once its hello is answered, ahead of its first payment.
  const loadAhead = () => void setTimeout(payments, 0)
  listen(afterMigration({ page: pageHandlers({ version, responses }, loadAhead), popup: () => payments().popup }, ready))
  browser.runtime.onConnect.addListener((port) => {
    if (!paymentPorts.has(port.name)) return
    try {
      payments().connect(port)
    } catch (error) {
      // Without the payment code nothing is paid: the page gets the site's own answer at once, not a wait.
      console.error(error)
      port.disconnect()
    }
  })
  browser.alarms.onAlarm.addListener((alarm) => void payments().onAlarm(alarm.name))
  void ready.then(updateBadge)
  keepPayingSiteScriptCurrent({ firefox: import.meta.env.FIREFOX, ready })
})

/** No request is answered before storage is in its current shape. */
function afterMigration(handlers: { page: Handlers['page']; popup: () => PopupHandlers }, ready: Promise<void>) {
  const waiting = <T extends object>(table: T): T =>
    Object.fromEntries(Object.entries(table).map(([method, handler]: [string, (...args: never[]) => Promise<unknown>]) => [method, async (...args: never[]) => (await ready, handler(...args))])) as T
  let popup: PopupHandlers | undefined
  return { page: waiting(handlers.page), popup: () => (popup ??= waiting(handlers.popup())) }
}
