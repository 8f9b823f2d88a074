/**
 * A `storage.local` item read once and then kept in memory for as long as
 * storage says nothing changed: a write from anywhere (this context or
 * another of Drip's pages) drops the copy, and the next read goes to
 * storage again. For items payments read and the reader rarely changes:
 * the network settings, how far streams sign ahead, the deposit step.
 */
import { browser } from 'wxt/browser'
import type { WxtStorageItem } from 'wxt/utils/storage'

export type KeptItem<T> = {
  /** The item's value, from memory when storage has not changed since it was read. */
  read(): Promise<T>
  /** Stores `value`; a read once this resolves gets it (a copy taken while it was being stored is dropped). */
  write(value: T): Promise<void>
}

export function keptInMemory<T>(item: WxtStorageItem<T, Record<string, unknown>>): KeptItem<T> {
  if (!item.key.startsWith('local:')) throw new Error(`Only storage.local items are kept in memory (not ${item.key}).`)
  const key = item.key.slice('local:'.length)
  let kept: Promise<T> | undefined
  const forgetOnChange = (changes: Record<string, unknown>) => {
    if (key in changes) kept = undefined
  }
  return {
    read() {
      const changes = browser.storage.local.onChanged
      // The copy is true only while the listener that drops it is registered (a reset test browser removes it).
      if (kept && changes.hasListener(forgetOnChange)) return kept
      if (!changes.hasListener(forgetOnChange)) changes.addListener(forgetOnChange)
      const reading = (kept = item.getValue())
      reading.catch(() => {
        if (kept === reading) kept = undefined
      })
      return reading
    },
    async write(value) {
      kept = undefined
      try {
        await item.setValue(value)
      } finally {
        kept = undefined
      }
    },
  }
}
