// @vitest-environment happy-dom
/**
 * The `on<event>` properties of the socket Drip probes (`probedSocket.ts`)
 * behave as the browser's: prototype accessors, listeners in the order they were set,
 * `event.target` the object, `null` and non-functions remove the handler.
 */
import { describe, expect, test } from 'vitest'
import { defineEventHandlers } from '@/lib/page/eventHandlers'

class Wrapped extends EventTarget {
  declare onping: ((event: Event) => unknown) | null
}
defineEventHandlers(Wrapped.prototype, ['ping'])

describe('on<event> handlers of the wrappers', () => {
  test('an accessor on the prototype, not an own key; null until set', () => {
    const target = new Wrapped()
    expect(Object.keys(target)).toEqual([])
    expect(Object.getOwnPropertyDescriptor(Wrapped.prototype, 'onping')?.set).toBeTypeOf('function')
    expect(target.onping).toBeNull()
  })

  test('runs inside the dispatch, in the order set among listeners, with the object as target', () => {
    const target = new Wrapped()
    const seen: string[] = []
    target.addEventListener('ping', (event) => seen.push(`first ${event.target === target}`))
    target.onping = (event) => seen.push(`handler ${event.target === target} ${event.currentTarget === target}`)
    target.addEventListener('ping', () => seen.push('last'))
    target.dispatchEvent(new Event('ping'))
    expect(seen).toEqual(['first true', 'handler true true', 'last'])
  })

  test('replacing keeps its place; null removes it; set again, it runs last; a non-function is null', () => {
    const target = new Wrapped()
    const seen: string[] = []
    target.onping = () => seen.push('a')
    target.addEventListener('ping', () => seen.push('listener'))
    target.onping = () => seen.push('b')
    target.dispatchEvent(new Event('ping'))
    target.onping = null
    target.dispatchEvent(new Event('ping'))
    target.onping = () => seen.push('c')
    target.dispatchEvent(new Event('ping'))
    target.onping = 'not a function' as never
    expect(target.onping).toBeNull()
    target.dispatchEvent(new Event('ping'))
    expect(seen).toEqual(['b', 'listener', 'listener', 'listener', 'c', 'listener'])
  })

})
