/**
 * A runtime port to the background opened ahead for a page's next paid
 * request, once Drip has answered one of its requests: a page that pays
 * photo after photo would otherwise wait for a port's connect on every
 * photo (the background had the request 0.4–0.8 ms sooner with one waiting,
 * `npm run bench:share`). A page that never pays never gets one.
 *
 * The spare is kept for `keepMs` and never reopened when the background
 * drops it: an idle port does not keep Chrome's worker running, and an
 * ended worker is not started again for a request the page may never make.
 */
import type { Browser } from 'wxt/browser'

/** How long a spare port waits for the page's next request. */
export const spareKeepMs = 10_000

export type TakenPort = {
  port: Browser.runtime.Port
  /** Opened ahead: should it be gone before its request reached the background, that is no failure of the request. */
  spare: boolean
}

export function sparePorts(connect: () => Browser.runtime.Port, keepMs = spareKeepMs) {
  let waiting: { port: Browser.runtime.Port; closing: ReturnType<typeof setTimeout> } | undefined
  const takeWaiting = () => {
    if (!waiting) return undefined
    clearTimeout(waiting.closing)
    const { port } = waiting
    waiting = undefined
    return port
  }
  return {
    /** The spare port if one waits, else a new one. */
    take(): TakenPort {
      const port = takeWaiting()
      return port ? { port, spare: true } : { port: connect(), spare: false }
    },
    /** Opens the next request's port now, unless one waits already. */
    ready(): void {
      if (waiting) return
      const port = connect()
      const closing = setTimeout(() => {
        if (waiting?.port !== port) return
        takeWaiting()
        port.disconnect()
      }, keepMs)
      waiting = { port, closing }
      port.onDisconnect.addListener(() => {
        if (waiting?.port === port) takeWaiting()
      })
    },
  }
}
