/**
 * IndexedDB for tests in Node (fake-indexeddb), emptied before every test as
 * WXT's fake browser storage is: Drip's history lives there.
 */
import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { beforeEach } from 'vitest'

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory()
})
