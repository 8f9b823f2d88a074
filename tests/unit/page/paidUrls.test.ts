/**
 * What a page hands straight to Drip without asking its site first: the URLs
 * this tab paid by the unit, kept across the site's pages in the tab, while
 * their challenge is still good; never a one-shot charge, never on a site
 * that does not pay, and nothing that breaks when the page's storage does.
 */
import { describe, expect, test, vi } from 'vitest'
import { wrapFetch } from '@/lib/page/bridge'
import type { HandOver } from '@/lib/page/handOver'
import { asksForUnits, expiryOf, PaidUrls } from '@/lib/page/paidUrls'
import { challengeExpiryMarginMs as expiryMarginMs } from '@/lib/shared/challengeExpiry'
import { type TabMemory, tabMemory, tabMemoryKey } from '@/lib/page/tabMemory'

const now = Date.parse('2030-01-01T00:00:00Z')
const inFive = new Date(now + 5 * 60_000).toISOString()
const unit = `Payment id="u", realm="site.test", method="tempo", intent="session", request="eyJpbnRlbnQ9Y2hhcmdlIn0", expires="${inFive}"`
const charge = `Payment id="c", realm="site.test", method="tempo", intent="charge", request="eyJ9", expires="${inFive}"`

/** The site: answers each request with the next status (402s carry `challenge`), and counts what it was asked. */
function site(statuses: number[], challenge = unit) {
  const seen: string[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    seen.push(String(input instanceof Request ? input.url : input))
    const status = statuses.shift() ?? 200
    return new Response(status === 402 ? null : 'free', { status, headers: status === 402 ? { 'www-authenticate': challenge } : {} })
  })
  return { fetch: fetch as unknown as typeof globalThis.fetch, seen }
}

/** The tab's memory as the browser keeps it across the site's pages. */
function memory(inUse = true) {
  const stored = { value: undefined as unknown, reads: 0, writes: 0 }
  const tab: TabMemory = {
    inUse: () => inUse,
    read: () => (stored.reads++, structuredClone(stored.value)),
    write: (value) => void (stored.writes++, (stored.value = structuredClone(value))),
    clear: () => void (stored.value = undefined),
  }
  return { tab, stored }
}

const paidHandOver = () => vi.fn<HandOver>(async () => new Response('paid'))

describe('the URLs a tab paid', () => {
  test('a reload, or the site’s next page in the tab, hands a URL an earlier page paid straight to Drip: the site is not asked again', async () => {
    const { tab } = memory()
    const first = site([402])
    const handOver = paidHandOver()
    await wrapFetch(first.fetch, handOver, new PaidUrls(() => 'https://site.test/a', tab, () => now))('https://site.test/photo')
    const next = site([402])
    const reloaded = wrapFetch(next.fetch, handOver, new PaidUrls(() => 'https://site.test/b', tab, () => now))
    expect(await (await reloaded('https://site.test/photo')).text()).toBe('paid')
    expect(next.seen).toEqual([])
    expect(handOver.mock.calls.map(([request]) => request.wwwAuthenticate)).toEqual([unit, unit])
  })

  test('a one-shot charge is never handed over unasked: the site decides whether to ask again (it may serve what was bought)', async () => {
    const { tab, stored } = memory()
    const { fetch, seen } = site([402, 200], charge)
    const handOver = paidHandOver()
    const paying = wrapFetch(fetch, handOver, new PaidUrls(() => 'https://site.test', tab, () => now))
    await paying('https://site.test/article')
    expect(await (await paying('https://site.test/article')).text()).toBe('free')
    expect(seen).toHaveLength(2)
    expect(handOver).toHaveBeenCalledTimes(1)
    expect(stored.writes).toBe(0)
  })

  test(`a challenge within ${expiryMarginMs / 1000} s of its expiry is not handed over (Drip would refuse it): the site is asked again`, async () => {
    let clock = now
    const { fetch, seen } = site([402, 402])
    const handOver = paidHandOver()
    const paying = wrapFetch(fetch, handOver, new PaidUrls(() => 'https://site.test', undefined, () => clock))
    await paying('https://site.test/photo')
    clock = Date.parse(inFive) - expiryMarginMs - 1
    await paying('https://site.test/photo')
    expect(seen).toHaveLength(1)
    clock += 1
    await paying('https://site.test/photo')
    expect(seen).toHaveLength(2)
    expect(handOver).toHaveBeenCalledTimes(3)
  })

  test('on a site that does not pay the tab’s memory is neither read nor written', async () => {
    const { tab, stored } = memory(false)
    stored.value = [['https://site.test/photo', unit]]
    const { fetch, seen } = site([402, 200])
    const handOver = vi.fn<HandOver>(async () => undefined)
    const page = wrapFetch(fetch, handOver, new PaidUrls(() => 'https://site.test', tab, () => now))
    await page('https://site.test/photo')
    await page('https://site.test/other')
    expect(seen).toHaveLength(2)
    expect([stored.reads, stored.writes]).toEqual([0, 0])
  })

  test('the reader revokes the site while its page is open: the page and its tab forget every URL, and the next fetch asks the site', async () => {
    const { tab, stored } = memory()
    const first = site([402, 402])
    // Paid once; revoked, Drip pays no more.
    const handOver = vi.fn<HandOver>().mockResolvedValueOnce(new Response('paid')).mockResolvedValue(undefined)
    const paidUrls = new PaidUrls(() => 'https://site.test/a', tab, () => now)
    const fetch = wrapFetch(first.fetch, handOver, paidUrls)
    await fetch('https://site.test/photo')
    expect(stored.value).toEqual([['https://site.test/photo', unit]])
    paidUrls.forgetAll()
    expect(stored.value).toBeUndefined()
    expect((await fetch('https://site.test/photo')).status).toBe(402)
    expect(first.seen).toHaveLength(2)
    expect(paidUrls.challengeFor('https://site.test/photo', 'GET')).toBeUndefined()
    expect(stored.value).toBeUndefined()
  })

  test('a URL Drip did not pay straight away leaves the tab’s memory; what the memory holds that is not a good pair of the page’s site is ignored', async () => {
    const { tab, stored } = memory()
    stored.value = [['https://site.test/photo', unit], ['https://other.test/photo', unit], ['https://site.test/bought', charge], [1, 2], 'x']
    const { fetch, seen } = site([402, 402, 402])
    const handOver = vi.fn<HandOver>(async () => undefined)
    const page = wrapFetch(fetch, handOver, new PaidUrls(() => 'https://site.test', tab, () => now))
    expect((await page('https://site.test/photo')).status).toBe(402)
    expect(stored.value).toEqual([])
    await page('https://site.test/bought')
    expect(seen).toEqual(['https://site.test/photo', 'https://site.test/bought'])
    expect(handOver.mock.calls.map(([request]) => request.url)).toEqual(['https://site.test/photo', 'https://site.test/bought'])
  })
})

describe('reading a challenge’s intent and expiry from its header', () => {
  test.each([
    [unit, true],
    [charge, false],
    [`${unit}, ${charge}`, false],
    [`${unit}, ${unit.replace('id="u"', 'id="v"')}`, true],
    ['Payment id="x", request="aW50ZW50PXNlc3Npb24"', false],
    ['Payment intent=session, id="x"', true],
    ['', false],
  ])('%s: paid by the unit %s', (header, expected) => {
    expect(asksForUnits(header)).toBe(expected)
  })

  test.each([
    [unit, Date.parse(inFive)],
    ['Payment id="x", intent="session"', Number.POSITIVE_INFINITY],
    ['Payment id="x", intent="session", expires="soon"', Number.NEGATIVE_INFINITY],
    [`${unit}, Payment id="v", intent="session", expires="${new Date(now).toISOString()}"`, now],
  ])('%s expires at %s', (header, expected) => {
    expect(expiryOf(header)).toBe(expected)
  })
})

describe('the tab’s memory in the page’s storage', () => {
  /** A page's window with a `sessionStorage`, whose methods the page may wrap after Drip's script has run. */
  function window(storage: 'works' | 'throws') {
    class Storage {
      items = new Map<string, string>()
      getItem(key: string) {
        return this.items.get(key) ?? null
      }
      setItem(key: string, value: string) {
        if (value.length > 100) throw new DOMException('full', 'QuotaExceededError')
        this.items.set(key, value)
      }
      removeItem(key: string) {
        this.items.delete(key)
      }
    }
    const session = new Storage()
    const target = {
      Storage,
      get sessionStorage(): Storage {
        if (storage === 'throws') throw new DOMException('sandboxed', 'SecurityError')
        return session
      },
    }
    return { target: target as unknown as Window & typeof globalThis, session, Storage }
  }

  test('written and read under one key, through the methods as they were before the page’s scripts ran', () => {
    const { target, session, Storage } = window('works')
    const tab = tabMemory(target, () => true)
    const seenByPage = vi.fn()
    Storage.prototype.getItem = seenByPage
    Storage.prototype.setItem = seenByPage
    Storage.prototype.removeItem = seenByPage
    tab.write([['u', 'c']])
    expect(session.items.get(tabMemoryKey)).toBe('[["u","c"]]')
    expect(tab.read()).toEqual([['u', 'c']])
    session.items.set('the page’s own', '1')
    tab.clear()
    expect([...session.items.keys()]).toEqual(['the page’s own'])
    expect(seenByPage).not.toHaveBeenCalled()
    expect(() => tabMemory(window('throws').target, () => true).clear()).not.toThrow()
  })

  test('not written while the site does not pay; storage that throws, is full or holds no JSON loses the memory, never the page', () => {
    const working = window('works')
    let pays = false
    const tab = tabMemory(working.target, () => pays)
    tab.write([['u', 'c']])
    expect(working.session.items.size).toBe(0)
    pays = true
    tab.write(['x'.repeat(200)])
    expect(working.session.items.size).toBe(0)
    working.session.items.set(tabMemoryKey, '{not json')
    expect(tab.read()).toBeUndefined()
    const sandboxed = tabMemory(window('throws').target, () => true)
    expect(() => sandboxed.write([['u', 'c']])).not.toThrow()
    expect(sandboxed.read()).toBeUndefined()
  })
})
