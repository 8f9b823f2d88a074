/** What each tab's pages had Drip sign: by tab and site, kept through a worker restart, bounded. */
import { beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { maxTabs, TabSpend } from '@/lib/payments/tabSpend'
import * as Schema from '@/lib/storage/schema'

const item = () => Schema.accountItems('0x1000000000000000000000000000000000000001').tabSpend
const site = 'https://news.example'

describe('TabSpend', () => {
  beforeEach(() => fakeBrowser.reset())

  test('adds up per tab and site; a tab that pays another site starts again there; outside any tab, nothing', async () => {
    const spend = new TabSpend(item())
    await spend.add(7, site, 10_000n)
    await spend.add(7, site, 1_000n)
    await spend.add(8, site, 5_000n)
    await spend.add(undefined, site, 99_000n)
    await spend.add(-1, site, 99_000n)
    expect(await spend.of(7, site)).toBe(11_000n)
    expect(await spend.of(8, site)).toBe(5_000n)
    await spend.add(7, 'https://radio.example', 2_000n)
    expect(await spend.of(7, site)).toBe(0n)
    expect(await spend.of(7, 'https://radio.example')).toBe(2_000n)
  })

  test('a restarted worker reads the tallies back from the session', async () => {
    await new TabSpend(item()).add(3, site, 42_000n)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(await new TabSpend(item()).of(3, site)).toBe(42_000n)
  })

  test('a stream signing many vouchers at once costs one write at a time, and the last state is what is stored', async () => {
    const stored = item()
    let writes = 0
    let concurrent = 0
    let most = 0
    const counting = {
      ...stored,
      getValue: () => stored.getValue(),
      setValue: async (value: Parameters<typeof stored.setValue>[0]) => {
        writes++
        most = Math.max(most, ++concurrent)
        await new Promise((resolve) => setTimeout(resolve, 5))
        await stored.setValue(value)
        concurrent--
      },
    } as typeof stored
    const spend = new TabSpend(counting)
    await Promise.all(Array.from({ length: 50 }, () => spend.add(9, site, 1_000n)))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(most).toBe(1)
    expect(writes).toBeLessThan(5)
    expect(await new TabSpend(stored).of(9, site)).toBe(50_000n)
  })

  test(`at most ${maxTabs} tabs are kept, the oldest going first`, async () => {
    const spend = new TabSpend(item())
    for (let tab = 0; tab <= maxTabs; tab++) await spend.add(tab, site, 1_000n)
    expect(await spend.of(0, site)).toBe(0n)
    expect(await spend.of(maxTabs, site)).toBe(1_000n)
  })
})
