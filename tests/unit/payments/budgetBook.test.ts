import { beforeEach, describe, expect, test, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { BudgetBook } from '@/lib/payments/budgetBook'
import * as Schema from '@/lib/storage/schema'

const items = () => Schema.accountItems('0x1000000000000000000000000000000000000001')
/** Noon on the day the tests run: nothing here depends on which day that is. */
const noon = () => {
  const now = new Date()
  return new Date(now.getFullYear(), now.getMonth(), now.getDate(), 12)
}

describe('BudgetBook: reserve before signing, release if the signature never happened', () => {
  beforeEach(() => fakeBrowser.reset())

  test('two sites paying at once cannot both pass an overall daily limit', async () => {
    const book = new BudgetBook(items(), noon)
    await book.setBudgets({ overall: { daily: '10000' }, sites: {}, notify: false })
    const results = await Promise.allSettled([book.reserve('https://a.example', 10_000n), book.reserve('https://b.example', 10_000n)])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'budget' })
    expect((await book.usage()).today).toBe(10_000n)
  })

  test('a released reservation is given back, never below zero; the limit lets the next payment through', async () => {
    const book = new BudgetBook(items(), noon)
    await book.setBudgets({ overall: {}, sites: { 'https://a.example': { daily: '10000' } }, notify: false })
    expect((await book.reserve('https://a.example', 10_000n)).alerts).toMatchObject([{ threshold: 80 }, { threshold: 100 }])
    await book.release('https://a.example', 10_000n)
    await book.release('https://a.example', 10_000n)
    expect((await book.usage()).sites['https://a.example']).toEqual({ today: 0n, month: 0n })
    expect((await book.reserve('https://a.example', 10_000n)).alerts).toHaveLength(2)
  })

  test('a reservation counts in memory at once and is stored in order; a failed write is written over by the next', async () => {
    const book = new BudgetBook(items(), noon)
    await book.setBudgets({ overall: { daily: '25000' }, sites: {}, notify: false })
    const set = vi.spyOn(fakeBrowser.storage.local, 'set').mockRejectedValueOnce(new Error('quota'))
    const first = await book.reserve('https://a.example', 10_000n)
    // Counted before its write settles: a payment racing it cannot pass the limit.
    await expect(book.reserve('https://b.example', 20_000n)).rejects.toMatchObject({ code: 'budget' })
    await expect(first.stored).rejects.toThrow('quota')
    const second = await book.reserve('https://b.example', 10_000n)
    await second.stored
    expect(set).toHaveBeenCalledTimes(2)
    const stored = await new BudgetBook(items(), noon).usage()
    expect(stored.today).toBe(20_000n)
  })
})
