/**
 * Runs in the page's own (MAIN) world. The `on<event>` properties of Drip's
 * wrapped `XMLHttpRequest`, `EventSource` and `WebSocket`, as browsers
 * define them: accessors on the prototype (not own keys of instances), and a
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

/**
 * The wrapper class looks like the browser's own where a page can check:
 * `Object.prototype.toString` names the native class, its state constants
 * (`DONE`, `OPEN`…) are on the prototype as on the constructor (not own keys
 * of each instance), and an `XMLHttpRequest` is still an
 * `XMLHttpRequestEventTarget`.
 */
export function looksNative(wrapper: { prototype: object }, name: string, constants: Record<string, number>, parent?: { prototype: object }): void {
  Object.defineProperty(wrapper, 'name', { value: name, configurable: true })
  Object.defineProperty(wrapper.prototype, Symbol.toStringTag, { value: name, configurable: true })
  for (const [key, value] of Object.entries(constants)) {
    Object.defineProperty(wrapper, key, { value, enumerable: true })
    Object.defineProperty(wrapper.prototype, key, { value, enumerable: true })
  }
  if (parent) Object.setPrototypeOf(wrapper.prototype, parent.prototype)
}
