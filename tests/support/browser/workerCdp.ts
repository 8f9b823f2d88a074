/**
 * A CDP session to Drip's service worker, reached through a page's session
 * (Playwright gives workers of extensions no page of their own): calls,
 * events and an evaluate in the worker's scope. For the benchmarks, which
 * watch the worker from outside; nothing in Drip is instrumented.
 */
import type { CDPSession } from 'playwright-core'
import type { ChromiumDrip } from './chromium'

type Message = { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown> }

/** A CDP session on Drip's service worker, through a page's session (Playwright opens sessions on pages only). */
export async function attachToWorker(drip: ChromiumDrip, cdp: CDPSession) {
  const { targetInfos } = await cdp.send('Target.getTargets')
  const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.includes(drip.extensionId))
  if (!target) throw new Error("Drip's service worker is not running.")
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })
  const listeners = new Set<(message: Message) => void>()
  const relay = (event: { sessionId?: string; message: string }) => {
    if (event.sessionId !== sessionId) return
    const message = JSON.parse(event.message)
    for (const listener of listeners) listener(message)
  }
  cdp.on('Target.receivedMessageFromTarget', relay)
  let nextId = 1
  return {
    call(method: string, params: Record<string, unknown> = {}) {
      const id = nextId++
      return new Promise<Record<string, unknown>>((resolve) => {
        const listener = (message: Message) => {
          if (message.id !== id) return
          listeners.delete(listener)
          resolve(message.result ?? {})
        }
        listeners.add(listener)
        void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
      })
    },
    on(method: string, handler: (params: Record<string, unknown>) => void) {
      listeners.add((message) => message.method === method && handler(message.params ?? {}))
    },
    /** Runs `expression` in the worker's scope and returns its (awaited) value. */
    async evaluate<T>(expression: string): Promise<T> {
      const { result } = (await this.call('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })) as { result: { value: T } }
      return result.value
    },
    async detach() {
      cdp.off('Target.receivedMessageFromTarget', relay)
      await cdp.send('Target.detachFromTarget', { sessionId })
    },
  }
}
