/**
 * Runs in the page's own (MAIN) world. Whether the reader approved this
 * page's site (or it waits for approval): only then does a page's own
 * same-origin `WebSocket` ask the site's http twin whether it is paid
 * (mppx's WebSocket sessions answer that GET with the 402). Everywhere
 * else the page's sockets are the browser's own and nothing else is sent.
 * Told by the isolated content script over a port of its own (never a
 * window message the page would see), at start and when the reader
 * approves or revokes the site.
 *
 * Until that answer comes, what the site was when the page began to load
 * (`payingSiteHint.ts`): a site that did not pay then does not pay yet, so
 * its early sockets are the browser's own at once, whatever the worker's
 * speed (a worker Chrome had ended answers in tens of ms); only a site that
 * paid then waits for the answer.
 */
import { siteStatusTag } from '@/lib/protocol/pageBridge'
import { listenForPayingSite } from './payingSiteHint'

export type SiteStatus = {
  /** True or false once known; before Drip's answer, false for a site that did not pay at load, else undefined. */
  readonly pays: boolean | undefined
  /** Resolves to `pays` once known. */
  paying(): Promise<boolean>
  /** Calls `listener` each time a site that paid (or was paying at load) is said to pay no more: the reader revoked it. */
  onStop(listener: () => void): void
}

export function createSiteStatus(target: Window): SiteStatus {
  const atLoad = listenForPayingSite(target)
  let answer: boolean | undefined
  let known: (value: boolean) => void = () => {}
  const first = new Promise<boolean>((resolve) => (known = resolve))
  const stopped = new Set<() => void>()
  const pays = () => answer ?? (atLoad.hinted ? undefined : false)
  const channel = new MessageChannel()
  channel.port1.onmessage = (event: MessageEvent<{ pays?: unknown }>) => {
    const before = pays()
    answer = event.data?.pays === true
    atLoad.stop()
    known(answer)
    if (before !== false && !answer) for (const listener of stopped) listener()
  }
  target.postMessage({ drip: siteStatusTag, command: { type: 'subscribe' } }, target.location.origin, [channel.port2])
  return {
    get pays() {
      return pays()
    },
    paying: () => {
      const now = pays()
      return now === undefined ? first : Promise.resolve(now)
    },
    onStop: (listener) => void stopped.add(listener),
  }
}
