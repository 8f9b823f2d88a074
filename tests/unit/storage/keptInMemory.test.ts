import { beforeEach, describe, expect, test, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { storage } from 'wxt/utils/storage'
import { keptInMemory } from '@/lib/storage/keptInMemory'

const item = storage.defineItem<{ n: number }>('local:test.kept', { fallback: { n: 0 } })

describe('an item kept in memory', () => {
  beforeEach(() => fakeBrowser.reset())

  test('is read from storage once while nothing changes', async () => {
    await item.setValue({ n: 1 })
    const kept = keptInMemory(item)
    const get = vi.spyOn(fakeBrowser.storage.local, 'get')
    expect(await kept.read()).toEqual({ n: 1 })
    expect(await kept.read()).toEqual({ n: 1 })
    expect(await kept.read()).toEqual({ n: 1 })
    expect(get).toHaveBeenCalledTimes(1)
  })

  test('a write from anywhere drops the copy; a write to another key does not', async () => {
    const kept = keptInMemory(item)
    expect(await kept.read()).toEqual({ n: 0 })
    const get = vi.spyOn(fakeBrowser.storage.local, 'get')
    await fakeBrowser.storage.local.set({ 'test.other': 1 })
    expect(await kept.read()).toEqual({ n: 0 })
    expect(get).toHaveBeenCalledTimes(0)
    await fakeBrowser.storage.local.set({ 'test.kept': { n: 2 } })
    expect(await kept.read()).toEqual({ n: 2 })
    await fakeBrowser.storage.local.remove('test.kept')
    expect(await kept.read()).toEqual({ n: 0 })
    expect(get).toHaveBeenCalledTimes(2)
  })

  test('a write is read back at once, without waiting for the change event', async () => {
    await item.setValue({ n: 1 })
    // The change event may come after the write resolves: here it never comes.
    const events = fakeBrowser.storage.local.onChanged
    vi.spyOn(events, 'addListener').mockImplementation(() => {})
    vi.spyOn(events, 'hasListener').mockReturnValue(true)
    const kept = keptInMemory(item)
    expect(await kept.read()).toEqual({ n: 1 })
    await kept.write({ n: 2 })
    expect(await kept.read()).toEqual({ n: 2 })
    expect(await item.getValue()).toEqual({ n: 2 })
  })

  test('a browser that lost the change listener (a reset) is read again, not trusted', async () => {
    await item.setValue({ n: 1 })
    const kept = keptInMemory(item)
    expect(await kept.read()).toEqual({ n: 1 })
    fakeBrowser.reset()
    await item.setValue({ n: 3 })
    expect(await kept.read()).toEqual({ n: 3 })
  })

  test('a failed read is not kept', async () => {
    const kept = keptInMemory(item)
    vi.spyOn(fakeBrowser.storage.local, 'get').mockRejectedValueOnce(new Error('storage is gone'))
    await expect(kept.read()).rejects.toThrow('storage is gone')
    expect(await kept.read()).toEqual({ n: 0 })
  })

  test('only storage.local items; a key with colons is watched whole', async () => {
    expect(() => keptInMemory(storage.defineItem('session:test.kept'))).toThrow('Only storage.local items')
    const perAccount = storage.defineItem<number>('local:test:0xabc', { fallback: 0 })
    const kept = keptInMemory(perAccount)
    expect(await kept.read()).toBe(0)
    await fakeBrowser.storage.local.set({ 'test:0xabc': 5 })
    expect(await kept.read()).toBe(5)
  })
})
