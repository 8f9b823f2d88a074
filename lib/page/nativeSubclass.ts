import { asTheBrowser } from './ownFrames'
import { descriptorInChain, printsAs } from './sourceText'

type Constructor = abstract new (...args: never[]) => unknown
/** A Drip subclass that knows its own objects (a private brand check, `#field in value`). */
type KnowsItsObjects = { owns(value: unknown): boolean }

/**
 * Runs in the page's own (MAIN) world. Drip's `XMLHttpRequest`,
 * `EventSource` and `WebSocket` are subclasses of the browser's own; the
 * page gets each through the constructor this returns, which reads as the
 * browser's wherever pages and frameworks look:
 * - its prototype chain is the browser's (`XMLHttpRequest` →
 *   `XMLHttpRequestEventTarget` → `EventTarget`), for the constructor, its
 *   prototype and its instances; Drip's subclass stays out of the chain (its
 *   methods call the browser's through `super`, bound where they were
 *   written);
 * - its prototype has the browser's own keys, in the browser's order, with
 *   the browser's flags (methods enumerable, as `for…in` finds them), Drip's
 *   method or accessor in place of the ones it overrides, with the browser's
 *   name and length; called on anything but Drip's objects (the prototype
 *   itself, another frame's object, a plain object) it is the browser's, and
 *   works or throws ("Illegal invocation") as the browser's does; its
 *   constructor has the browser's name, length and constants;
 * - called without `new` it throws the browser's error; a page's own
 *   subclass (`class Mine extends XMLHttpRequest`) builds Drip's object with
 *   the page's prototype;
 * - its source text, and that of each method and accessor, is the browser's
 *   (`sourceText.ts`).
 * zone.js patches `on*` properties by walking a prototype's own keys, and
 * finds them where it finds them without Drip.
 */
export function readsAsNative<T extends Constructor & KnowsItsObjects>(subclass: T, native: Constructor, name: string): T {
  const browserPrototype = native.prototype as object
  const dripPrototype = subclass.prototype as object
  // What Drip overrides, the browser has: on this prototype in browsers (WebIDL), higher up its chain in happy-dom.
  const fromHigherUp = Reflect.ownKeys(dripPrototype).filter((key) => key !== 'constructor' && !Object.hasOwn(browserPrototype, key))
  for (const key of fromHigherUp) {
    if (!descriptorInChain(browserPrototype, key)) throw new Error(`Drip's ${name} has ${String(key)}, which the browser's has not`)
  }
  // Only its own keys and prototype object are used: `new` is the Proxy's, and calls go to the browser's constructor.
  // A function, not a class: a class's own keys start with `prototype` in Firefox, the browser's with `length`.
  const Shell = function () {
    'use strict'
  } as unknown as Constructor
  const page = new Proxy(Shell, {
    construct: (_shell, args, newTarget) => Reflect.construct(subclass, args, newTarget) as object,
    apply: (_shell, thisArg, args) => asTheBrowser(() => Reflect.apply(native as unknown as (...args: unknown[]) => unknown, thisArg, args)),
  }) as unknown as T
  // In the browser's order (Firefox makes a function's `prototype` when it is first touched, and puts it last).
  for (const key of Reflect.ownKeys(native)) {
    const browser = Object.getOwnPropertyDescriptor(native, key)!
    Object.defineProperty(Shell, key, key === 'prototype' ? { writable: false } : key === 'name' ? { ...browser, value: name } : browser)
  }
  Object.setPrototypeOf(Shell, Object.getPrototypeOf(native) as object)
  const prototype = Shell.prototype as object
  delete (prototype as { constructor?: unknown }).constructor
  Object.setPrototypeOf(prototype, Object.getPrototypeOf(browserPrototype) as object | null)
  for (const key of Reflect.ownKeys(browserPrototype)) {
    const browser = Object.getOwnPropertyDescriptor(browserPrototype, key)!
    const drip = key === 'constructor' ? undefined : Object.getOwnPropertyDescriptor(dripPrototype, key)
    Object.defineProperty(prototype, key, key === 'constructor' ? { ...browser, value: page } : drip ? inPlaceOf(drip, browser, subclass) : browser)
  }
  for (const key of fromHigherUp) Object.defineProperty(prototype, key, inPlaceOf(Object.getOwnPropertyDescriptor(dripPrototype, key)!, descriptorInChain(browserPrototype, key)!, subclass))
  printsAs(page, native)
  return page
}

/** Drip's method or accessor, with the browser's flags; an accessor half Drip does not override stays the browser's. */
function inPlaceOf(drip: PropertyDescriptor, browser: PropertyDescriptor, subclass: KnowsItsObjects): PropertyDescriptor {
  const flags = { enumerable: browser.enumerable, configurable: browser.configurable }
  const placed = (drips: unknown, browsers: unknown) => (typeof drips === 'function' && typeof browsers === 'function' ? forDripsObjects(drips as Method, browsers as Method, subclass) : (drips ?? browsers))
  if ('value' in drip) return { ...flags, value: placed(drip.value, browser.value), writable: browser.writable ?? true }
  return { ...flags, get: placed(drip.get, browser.get) as Method | undefined, set: placed(drip.set, browser.set) as Method | undefined }
}

type Method = (this: unknown, ...args: unknown[]) => unknown

/** `drip` for Drip's objects, `browser` for any other `this`; it reads as `browser`: name, length, source text. A method: not a constructor, no `prototype`. */
function forDripsObjects(drip: Method, browser: Method, subclass: KnowsItsObjects): Method {
  const { method } = {
    method(this: unknown, ...args: unknown[]): unknown {
      return subclass.owns(this) ? Reflect.apply(drip, this, args) : asTheBrowser(() => Reflect.apply(browser, this, args))
    },
  }
  // The browser's `name` and `length`, in its order (Firefox's: the order they were first read in).
  for (const key of Reflect.ownKeys(method)) delete (method as unknown as Record<PropertyKey, unknown>)[key]
  for (const key of Reflect.ownKeys(browser)) Object.defineProperty(method, key, Object.getOwnPropertyDescriptor(browser, key)!)
  printsAs(method, browser)
  return method
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
