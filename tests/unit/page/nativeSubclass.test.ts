// @vitest-environment happy-dom
/**
 * Drip's page classes are subclasses of the browser's own that read as the
 * browser's (`nativeSubclass.ts`): name, constants, and the browser's
 * prototype keys as own keys, the same descriptors; Drip's first listener
 * runs before the page's, and the events it replays are known as its own.
 */
import { describe, expect, test } from 'vitest'
import { ownEventMethods, readsAsNative } from '@/lib/page/nativeSubclass'

/** A browser class as far as this needs: a constant, an `on*` accessor, a state getter and a method on its prototype. */
class Pinger extends EventTarget {
  static readonly LOUD = 1
  get onping() {
    return null
  }
  set onping(_value: unknown) {}
  get state() {
    return 'native'
  }
  ping() {
    return 'pong'
  }
}
Object.defineProperty(Pinger.prototype, 'LOUD', { value: 1, enumerable: true })

describe('a page class that reads as the browser’s', () => {
  const Wrapped = readsAsNative(
    class extends Pinger {
      override get state() {
        return 'drip'
      }
    },
    Pinger,
    'Pinger',
  )

  test('its name, and the browser’s constants as own keys', () => {
    expect(Wrapped.name).toBe('Pinger')
    expect(Object.getOwnPropertyNames(Wrapped)).toEqual(expect.arrayContaining(['LOUD']))
    expect((Wrapped as unknown as { LOUD: number }).LOUD).toBe(1)
  })

  test('every own key of the browser’s prototype is an own key of the page’s, with the same descriptor unless Drip overrides it', () => {
    expect(Reflect.ownKeys(Wrapped.prototype).sort()).toEqual(Reflect.ownKeys(Pinger.prototype).sort())
    expect(Object.getOwnPropertyDescriptor(Wrapped.prototype, 'onping')).toEqual(Object.getOwnPropertyDescriptor(Pinger.prototype, 'onping'))
    expect(Object.getOwnPropertyDescriptor(Wrapped.prototype, 'ping')).toEqual(Object.getOwnPropertyDescriptor(Pinger.prototype, 'ping'))
    expect(new Wrapped().state).toBe('drip')
    expect(new Wrapped()).toBeInstanceOf(Pinger)
  })

  test('Drip’s listener runs before the page’s, even a capturing one added later; the events it replays are known as its own', () => {
    const { listenFirst, replay, isReplay } = ownEventMethods(Pinger)
    const target = new Wrapped()
    const seen: string[] = []
    listenFirst(target, 'ping', (event) => {
      seen.push(`drip ${isReplay(event)}`)
      if (!isReplay(event)) event.stopImmediatePropagation()
    })
    target.addEventListener('ping', () => seen.push('page capture'), true)
    target.addEventListener('ping', () => seen.push('page'))
    target.dispatchEvent(new Event('ping'))
    replay(target, new Event('ping'))
    expect(seen).toEqual(['drip false', 'drip true', 'page capture', 'page'])
  })
})
