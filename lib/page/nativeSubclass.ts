import { classPrintsAs } from './sourceText'

/**
 * Runs in the page's own (MAIN) world. Drip's `XMLHttpRequest`,
 * `EventSource` and `WebSocket` are subclasses of the browser's own; this
 * makes each read as the browser's where pages and frameworks look: its
 * name (the build minifies class names), its constants as own keys of the
 * constructor, and every own property of the browser's prototype the
 * subclass does not override (its `on*` accessors among them) as an own
 * property of the page's prototype, the same descriptor, so code that walks
 * a prototype's own keys (zone.js patches `on*` properties that way) finds
 * what it finds in a browser without Drip; and the source text of the
 * constructor and of each method and accessor it overrides is the
 * browser's (`sourceText.ts`).
 */
export function readsAsNative<T extends abstract new (...args: never[]) => unknown>(subclass: T, native: abstract new (...args: never[]) => unknown, name: string): T {
  Object.defineProperty(subclass, 'name', { value: name, configurable: true })
  for (const key of Object.getOwnPropertyNames(native)) {
    const descriptor = Object.getOwnPropertyDescriptor(native, key)!
    if (!Object.hasOwn(subclass, key) && 'value' in descriptor && typeof descriptor.value === 'number') Object.defineProperty(subclass, key, descriptor)
  }
  for (const key of Reflect.ownKeys(native.prototype as object)) {
    if (key === 'constructor' || Object.hasOwn(subclass.prototype as object, key)) continue
    Object.defineProperty(subclass.prototype, key, Object.getOwnPropertyDescriptor(native.prototype, key)!)
  }
  classPrintsAs(subclass, native)
  return subclass
}

/**
 * The browser's own `addEventListener` and `dispatchEvent`, taken when Drip's
 * page script starts (before any page script): a page or a framework
 * (zone.js, Sentry) that patches them later never sees Drip's listeners or
 * the events Drip replays.
 */
export function ownEventMethods(native: { prototype: EventTarget }) {
  const { addEventListener, dispatchEvent } = native.prototype
  const replayed = new WeakSet<Event>()
  return {
    /** Drip's listener, capturing: added in the constructor, it runs before any of the page's for this object. */
    listenFirst: (target: EventTarget, type: string, listener: (event: Event) => void) => addEventListener.call(target, type, listener, true),
    /** A held or paid event, dispatched to the page's listeners; Drip's own listener knows it by `isReplay` and lets it through. */
    replay: (target: EventTarget, event: Event) => {
      replayed.add(event)
      dispatchEvent.call(target, event)
    },
    isReplay: (event: Event) => replayed.has(event),
  }
}
