import { afterEach, expect, test } from 'vitest'
import { stepMark, stepMarked, stepMarks } from '@/lib/shared/stepMarks'

afterEach(() => performance.clearMarks())

// Only `npm run bench:steps` builds with WXT_STEP_MARKS=1; every other build (and this test's) marks nothing, since a
// page would see the marks on its own timeline.
test('a build without WXT_STEP_MARKS leaves no mark, and a marked piece of work still runs and returns its value', async () => {
  expect(stepMarks).toBe(false)
  stepMark('page: handed over')
  expect(await stepMarked('chain: eth_fillTransaction', async () => 42)).toBe(42)
  await expect(stepMarked('chain: eth_chainId', () => Promise.reject(new Error('down')))).rejects.toThrow('down')
  expect(performance.getEntriesByType('mark')).toEqual([])
})
