/**
 * Runs in the page's own (MAIN) world. The `on<event>` properties of the
 * socket Drip probes on a site that pays (`probedSocket.ts`, not a browser
 * object, so the browser's own accessors do not apply), as browsers define
 * them: accessors on the prototype (not own keys of instances), and a
 * handler is an event listener, added when first set, so it runs in its
 * place among the page's other listeners, inside the dispatch (`event.target`
 * and `currentTarget` are the object). Setting `null` removes it; setting a
 * non-function is `null`, as in browsers.
 */

type Slot = { handler: ((this: EventTarget, event: Event) => unknown) | null; listener: (this: EventTarget, event: Event) => void }

export function defineEventHandlers(prototype: EventTarget, types: readonly string[]): void {
  const slots = new WeakMap<EventTarget, Map<string, Slot>>()
  for (const type of types) {
    Object.defineProperty(prototype, `on${type}`, {
      configurable: true,
      enumerable: true,
      get(this: EventTarget) {
        return slots.get(this)?.get(type)?.handler ?? null
      },
      set(this: EventTarget, value: unknown) {
        const handler = typeof value === 'function' ? (value as Slot['handler']) : null
        let byType = slots.get(this)
        if (!byType) slots.set(this, (byType = new Map()))
        const slot = byType.get(type)
        if (slot && handler) return void (slot.handler = handler)
        if (slot) {
          this.removeEventListener(type, slot.listener)
          return void byType.delete(type)
        }
        if (!handler) return
        const added: Slot = {
          handler,
          listener(event) {
            added.handler?.call(this, event)
          },
        }
        byType.set(type, added)
        this.addEventListener(type, added.listener)
      },
    })
  }
}

