// @vitest-environment happy-dom
/**
 * Drip's page classes are subclasses of the browser's own that read as the
 * browser's (`nativeSubclass.ts`): name, constants, prototype chain, the
 * browser's prototype keys in its order with its flags; Drip's first listener
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
// A browser's methods are enumerable, unlike a class's.
Object.defineProperty(Pinger.prototype, 'ping', { enumerable: true })

describe('a page class that reads as the browser’s', () => {
  class Drip extends Pinger {
    #mine = true
    static owns(value: unknown) {
      return typeof value === 'object' && value !== null && #mine in value
    }
    override get state() {
      return `drip, over ${super.state}`
    }
    override ping(_loudly?: boolean) {
      return `drip, over ${super.ping()}`
    }
  }
  const Wrapped = readsAsNative(Drip, Pinger, 'Pinger')

  test('its name, length and constants, and its prototype chain, are the browser’s', () => {
    expect(Wrapped.name).toBe('Pinger')
    expect(Reflect.ownKeys(Wrapped)).toEqual(Reflect.ownKeys(Pinger))
    expect((Wrapped as unknown as { LOUD: number }).LOUD).toBe(1)
    expect(Object.getPrototypeOf(Wrapped)).toBe(EventTarget)
    expect(Object.getPrototypeOf(Wrapped.prototype)).toBe(EventTarget.prototype)
    expect(Wrapped.prototype.constructor).toBe(Wrapped)
  })

  test('its prototype has the browser’s own keys in the browser’s order and flags, Drip’s in place of the ones it overrides', () => {
    expect(Reflect.ownKeys(Wrapped.prototype)).toEqual(Reflect.ownKeys(Pinger.prototype))
    expect(Object.getOwnPropertyDescriptor(Wrapped.prototype, 'onping')).toEqual(Object.getOwnPropertyDescriptor(Pinger.prototype, 'onping'))
    const { value: ping, ...flags } = Object.getOwnPropertyDescriptor(Wrapped.prototype, 'ping')!
    const { value: browserPing, ...browserFlags } = Object.getOwnPropertyDescriptor(Pinger.prototype, 'ping')!
    expect(flags).toEqual(browserFlags)
    expect([(ping as () => void).name, (ping as () => void).length, Reflect.ownKeys(ping as object)]).toEqual([(browserPing as () => void).name, (browserPing as () => void).length, Reflect.ownKeys(browserPing as object)])
    expect((ping as () => void).length).not.toBe(Drip.prototype.ping.length)
    expect(Object.getOwnPropertyDescriptor(Wrapped.prototype, 'state')!.get!.name).toBe('get state')
  })

  test('called on anything but Drip’s objects, a method or accessor Drip overrides is the browser’s', () => {
    const state = Object.getOwnPropertyDescriptor(Wrapped.prototype, 'state')!.get!
    expect([state.call(new Wrapped()), state.call(new Pinger()), state.call({})]).toEqual(['drip, over native', 'native', 'native'])
    expect((Wrapped.prototype as Pinger).ping.call(new Pinger())).toBe('pong')
    expect(() => new ((Wrapped.prototype as Pinger).ping as unknown as new () => unknown)()).toThrow(TypeError)
  })

  test('an instance is the browser’s object under the page’s prototype, and Drip’s methods reach the browser’s through super', () => {
    const made = new Wrapped()
    expect(Object.getPrototypeOf(made)).toBe(Wrapped.prototype)
    expect(made).toBeInstanceOf(Wrapped)
    expect(made).toBeInstanceOf(EventTarget)
    expect(made).not.toBeInstanceOf(Drip)
    expect([made.state, made.ping()]).toEqual(['drip, over native', 'drip, over pong'])
    const keys: string[] = []
    for (const key in made) keys.push(key)
    expect(keys).toEqual(['ping', 'LOUD'])
  })

  test('a page’s own subclass gets Drip’s object with its prototype; a call without new throws the browser’s error', () => {
    class Mine extends Wrapped {
      own() {
        return 'mine'
      }
    }
    const mine = new Mine()
    expect([mine.own(), mine.state, mine instanceof Wrapped, Object.getPrototypeOf(Mine.prototype) === Wrapped.prototype]).toEqual(['mine', 'drip, over native', true, true])
    expect(() => (Wrapped as unknown as () => void)()).toThrow(/Pinger/)
  })

  test('Drip may only override what the browser has; what it has higher up its chain (happy-dom) stays Drip’s', () => {
    class Extra extends Pinger {
      static owns = () => true
      extra() {}
    }
    expect(() => readsAsNative(Extra, Pinger, 'Pinger')).toThrow(/extra/)
    const heard: string[] = []
    class Listening extends Pinger {
      static owns = () => true
      override addEventListener(type: string, ..._rest: unknown[]) {
        heard.push(type)
      }
    }
    const Page = readsAsNative(Listening, Pinger, 'Pinger')
    expect(Reflect.ownKeys(Page.prototype)).toEqual([...Reflect.ownKeys(Pinger.prototype), 'addEventListener'])
    new Page().addEventListener('ping', () => undefined)
    expect(heard).toEqual(['ping'])
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
