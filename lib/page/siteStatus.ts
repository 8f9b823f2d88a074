/**
 * Runs in the page's own (MAIN) world. Whether the reader approved this
 * page's site (or it waits for approval): only then does a page's own
 * same-origin `WebSocket` ask the site's http twin whether it is paid
 * (mppx's WebSocket sessions answer that GET with the 402). Everywhere
 * else the page's sockets are the browser's own and nothing else is sent.
 * Told by the isolated content script over a port of its own (never a
 * window message the page would see), at start and when the reader
 * approves the site.
 */
import { siteStatusTag } from '@/lib/protocol/pageBridge'

export type SiteStatus = {
  /** True or false once known; undefined before the first answer. */
  readonly pays: boolean | undefined
  /** Resolves to `pays` once known. */
  paying(): Promise<boolean>
}

export function createSiteStatus(target: Window): SiteStatus {
  let pays: boolean | undefined
  let known: (value: boolean) => void = () => {}
  const first = new Promise<boolean>((resolve) => (known = resolve))
  const channel = new MessageChannel()
  channel.port1.onmessage = (event: MessageEvent<{ pays?: unknown }>) => {
    pays = event.data?.pays === true
    known(pays)
  }
  target.postMessage({ drip: siteStatusTag, command: { type: 'subscribe' } }, target.location.origin, [channel.port2])
  return {
    get pays() {
      return pays
    },
    paying: () => (pays === undefined ? first : Promise.resolve(pays)),
  }
}
