import { afterEach, describe, expect, test, vi } from 'vitest'
import { keepForLater, lazyPayments, paymentsGlobal, paymentsScript } from '@/lib/background/lazyPayments'
import type { Payments, PaymentsOptions } from '@/lib/background/payments'

const scope = globalThis as unknown as Record<string, unknown>
const options = { version: 'test' } as PaymentsOptions
const payments = { popup: {} } as Payments

afterEach(() => {
  delete scope[paymentsGlobal]
  delete scope.importScripts
  delete scope.addEventListener
})

describe('lazyPayments: the payment code loads on first use, once', () => {
  test('nothing loads until asked; then its start runs once with the options', () => {
    const start = vi.fn(() => payments)
    const importScripts = vi.fn(() => void (scope[paymentsGlobal] = start))
    scope.importScripts = importScripts
    const load = lazyPayments(options)
    expect(importScripts).not.toHaveBeenCalled()
    expect(load()).toBe(payments)
    expect(load()).toBe(payments)
    expect(importScripts).toHaveBeenCalledExactlyOnceWith(paymentsScript)
    expect(start).toHaveBeenCalledExactlyOnceWith(options)
  })

  test('already there (Firefox lists it before the entry): started without importing', () => {
    const start = vi.fn(() => payments)
    scope[paymentsGlobal] = start
    expect(lazyPayments(options)()).toBe(payments)
    expect(start).toHaveBeenCalledOnce()
  })

  test('neither there nor importable: a clear error, and the next use tries again', () => {
    const load = lazyPayments(options)
    expect(() => load()).toThrow(`Drip's payment code (${paymentsScript}) is not loaded.`)
    scope[paymentsGlobal] = () => payments
    expect(load()).toBe(payments)
  })

  test("Chrome's worker imports the script at install, so that it may import it again later", () => {
    const listeners: Record<string, () => void> = {}
    const importScripts = vi.fn()
    scope.importScripts = importScripts
    scope.addEventListener = (type: string, listener: () => void) => void (listeners[type] = listener)
    keepForLater()
    expect(importScripts).not.toHaveBeenCalled()
    listeners.install!()
    expect(importScripts).toHaveBeenCalledExactlyOnceWith(paymentsScript)
  })
})
