/**
 * The source text the page reads of Drip's wrappers (`sourceText.ts`): the
 * browser's own for each function one stands in for, through the page's
 * `Function.prototype.toString`, which stays the browser's in every way a
 * page can look. Installed on this realm for the file, then put back.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { classPrintsAs, printNativeSourceText, printsAs } from '@/lib/page/sourceText'

const before = Object.getOwnPropertyDescriptor(Function.prototype, 'toString')!
const text = (f: unknown) => Function.prototype.toString.call(f)

beforeAll(() => printNativeSourceText(globalThis))
afterAll(() => Object.defineProperty(Function.prototype, 'toString', before))

describe('what the page reads of Drip’s wrappers', () => {
  test('a subclass of a browser class prints as the browser’s: its constructor, an overridden method and accessor; what it adds of its own prints its own source', () => {
    class Wrapped extends Map {
      override get(key: unknown) {
        return super.get(key)
      }
      override get size() {
        return super.size
      }
      extra() {
        return 'Drip'
      }
    }
    classPrintsAs(Wrapped, Map)
    expect(text(Wrapped)).toBe('function Map() { [native code] }')
    expect(Wrapped.toString()).toBe('function Map() { [native code] }')
    expect(text(Wrapped.prototype.get)).toBe('function get() { [native code] }')
    expect(text(Object.getOwnPropertyDescriptor(Wrapped.prototype, 'size')!.get)).toBe('function get size() { [native code] }')
    expect(text(Wrapped.prototype.extra)).toMatch(/^extra\(\) {/)
  })

  test('a Proxy of a browser function prints as that function, not as "function () { [native code] }"', () => {
    const wrapped = new Proxy(Math.max, {})
    expect(text(wrapped)).toBe('function () { [native code] }')
    printsAs(wrapped, Math.max)
    expect(text(wrapped)).toBe('function max() { [native code] }')
    expect(wrapped.toString()).toBe('function max() { [native code] }')
  })

  test('toString itself is the browser’s to look at: its text, name, length, property flags, its TypeError for a non-function; any other function prints its own source', () => {
    const now = Object.getOwnPropertyDescriptor(Function.prototype, 'toString')!
    expect(now.value).not.toBe(before.value)
    expect({ ...now, value: undefined }).toEqual({ ...before, value: undefined })
    expect(text(Function.prototype.toString)).toBe('function toString() { [native code] }')
    expect(Function.prototype.toString.toString()).toBe('function toString() { [native code] }')
    expect([Function.prototype.toString.name, Function.prototype.toString.length]).toEqual(['toString', 0])
    expect(() => text({})).toThrow(TypeError)
    const own = function pageFunction(a: number) {
      return a + 1
    }
    expect(text(own)).toBe(before.value.call(own))
  })
})
