/**
 * What the isolated world's relays share: receiving a `MessagePort` the
 * page-world wrappers hand over with a tagged window message (only from
 * this window itself), and the keepalive that holds Chrome's worker while
 * the work behind the port runs.
 */

/**
 * What the relays tell the reader in the page (`pageNotice.ts`): a request
 * Drip did not pay, one that waits for the reader's approval, and one that
 * carried on after waiting (its waiting notice can go).
 */
export type RelayNotices = {
  unpaid: (message: string, outcome: 'pending' | 'refused' | 'locked') => void
  waiting: (message: string) => void
  carriedOn: (waitingMessage: string) => void
}

export const silentNotices: RelayNotices = { unpaid: () => {}, waiting: () => {}, carriedOn: () => {} }

/** Chrome ends an idle MV3 worker after 30 s; a message on the port keeps it alive while a response or socket flows. */
export const keepaliveMs = 20_000

/**
 * Calls `handle` with the port and the first command of each hand-over
 * tagged `tag`. Registered at document_start, before the page's own
 * listeners, and capturing: the page's `message` listeners, capturing or
 * not, never see Drip's messages.
 */
export function receiveHandOvers(target: Window, tag: string, handle: (page: MessagePort, command: unknown) => void) {
  // Capturing: at the window, a page's capturing listeners run before plain ones added earlier (Firefox).
  target.addEventListener(
    'message',
    (event: MessageEvent) => {
      if (event.source !== target || event.data?.drip !== tag || event.ports.length !== 1) return
      event.stopImmediatePropagation()
      handle(event.ports[0]!, event.data.command)
    },
    { capture: true },
  )
}
