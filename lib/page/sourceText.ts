/**
 * Runs in the page's own (MAIN) world. What `Function.prototype.toString`
 * prints for Drip's wrappers: the browser's own text for the function each
 * stands in for (`function open() { [native code] }`), never Drip's source.
 * Without it `XMLHttpRequest.toString()` printed Drip's whole minified class:
 * any page could tell the reader runs Drip, and scripts that check whether a
 * built-in is native (bot checks, polyfills) took the reader's browser for a
 * tampered one.
 *
 * The browser's own `toString` stays behind a Proxy (its name, length and
 * property flags are the browser's, and it prints as itself); only the
 * functions Drip registers here print as another.
 */
import { asTheBrowser } from './ownFrames'

/** Drip's function → the browser's function it prints as. */
const standsFor = new WeakMap<object, object>()

/** Installs the page's `Function.prototype.toString` that prints Drip's registered functions as the browser's. Once, before any page script. */
export function printNativeSourceText(target: { Function: FunctionConstructor }) {
  const prototype = target.Function.prototype
  const descriptor = Object.getOwnPropertyDescriptor(prototype, 'toString')!
  const original = descriptor.value as typeof Function.prototype.toString
  const toString = new Proxy(original, {
    apply: (browserToString, thisArg, args) => asTheBrowser(() => Reflect.apply(browserToString, standsFor.get(thisArg) ?? thisArg, args)),
  })
  standsFor.set(toString, original)
  Object.defineProperty(prototype, 'toString', { ...descriptor, value: toString })
}

/** `wrapper` prints as `native` does. */
export function printsAs(wrapper: object, native: object) {
  standsFor.set(wrapper, native)
}

/**
 * A subclass of a browser class (or an object standing in for its instances) prints as the browser's: its
 * constructor, and every method and accessor of its prototype as the one of the same name on the browser's.
 */
export function classPrintsAs(subclass: abstract new (...args: never[]) => unknown, native: abstract new (...args: never[]) => unknown) {
  printsAs(subclass, native)
  for (const key of Reflect.ownKeys(subclass.prototype as object)) {
    const own = Object.getOwnPropertyDescriptor(subclass.prototype, key)!
    const browser = descriptorInChain(native.prototype as object, key)
    if (!browser) continue
    if (typeof own.value === 'function' && typeof browser.value === 'function') printsAs(own.value as object, browser.value as object)
    if (own.get && browser.get) printsAs(own.get, browser.get)
    if (own.set && browser.set) printsAs(own.set, browser.set)
  }
}

/** `key`'s descriptor on `object` or the nearest prototype that has it. */
export function descriptorInChain(object: object | null, key: PropertyKey): PropertyDescriptor | undefined {
  for (let at = object; at; at = Object.getPrototypeOf(at) as object | null) {
    const found = Object.getOwnPropertyDescriptor(at, key)
    if (found) return found
  }
  return undefined
}
