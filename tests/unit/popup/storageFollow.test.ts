/**
 * The popup follows storage: a change it shows refreshes its reads at once,
 * a burst of changes refreshes at most once per interval with the last one
 * included, a paid answer kept for a retry refreshes nothing, and the
 * chain's reads keep their own poll.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { changesWhatIsShown, followStorage, followsStorage, refreshEveryMs } from '@/entrypoints/popup/storageFollow'

describe('the popup follows what the background stores', () => {
  beforeEach(() => {
    fakeBrowser.reset()
    vi.useFakeTimers()
  })
  afterEach(() => vi.useRealTimers())

  test('a site that starts waiting refreshes the popup at once', async () => {
    const refresh = vi.fn()
    const stop = followStorage(refresh)
    await fakeBrowser.storage.local.set({ 'pending:0xabc': { 'https://news.example': {} } })
    expect(refresh).toHaveBeenCalledTimes(1)
    stop()
  })

  test('vouchers stored many times a second: one refresh per interval, and the last change is always followed by one', async () => {
    const refresh = vi.fn()
    const stop = followStorage(refresh)
    for (let voucher = 1; voucher <= 10; voucher++) {
      await fakeBrowser.storage.local.set({ 'channel:0xabc:0x01': { cumulative: String(voucher * 1000) } })
      await vi.advanceTimersByTimeAsync(refreshEveryMs / 5)
    }
    // 10 changes from 0 to 450 ms: refreshes at 0, 250 and 500 ms (the last change, at 450, waited for the one at 500).
    expect(refresh).toHaveBeenCalledTimes(3)
    await vi.advanceTimersByTimeAsync(refreshEveryMs * 4)
    expect(refresh).toHaveBeenCalledTimes(3)
    // Quiet for longer than an interval: the next change refreshes at once again.
    await fakeBrowser.storage.local.set({ 'channel:0xabc:0x01': { cumulative: '11000' } })
    expect(refresh).toHaveBeenCalledTimes(4)
    stop()
  })

  test('session storage (the lock, a tab’s tally) counts; a paid answer kept for a retry does not', async () => {
    const refresh = vi.fn()
    const stop = followStorage(refresh)
    await fakeBrowser.storage.session.set({ 'undelivered:0xabc': [] })
    await vi.advanceTimersByTimeAsync(refreshEveryMs * 2)
    expect(refresh).not.toHaveBeenCalled()
    await fakeBrowser.storage.session.set({ 'tabSpend:0xabc': { 7: { origin: 'https://news.example', amount: '1000' } } })
    expect(refresh).toHaveBeenCalledTimes(1)
    stop()
  })

  test('after the popup closes nothing is refreshed, and a refresh it had scheduled is dropped', async () => {
    const refresh = vi.fn()
    const stop = followStorage(refresh)
    await fakeBrowser.storage.local.set({ 'approvals:0xabc': {} })
    await fakeBrowser.storage.local.set({ 'approvals:0xabc': { 'https://news.example': {} } })
    expect(refresh).toHaveBeenCalledTimes(1)
    stop()
    await vi.advanceTimersByTimeAsync(refreshEveryMs * 2)
    await fakeBrowser.storage.local.set({ 'budgets:0xabc': {} })
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  test('which keys and which reads', () => {
    expect(changesWhatIsShown(['undelivered:0xabc'])).toBe(false)
    expect(changesWhatIsShown(['undelivered:0xabc', 'channel:0xabc:0x01'])).toBe(true)
    expect(followsStorage('approvals.pending')).toBe(true)
    expect(followsStorage('spend.tab')).toBe(true)
    expect(followsStorage('network.status')).toBe(false)
    expect(followsStorage('wallet.overview')).toBe(false)
  })
})
