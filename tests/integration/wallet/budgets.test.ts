/**
 * Budgets over time with Drip's real payer against the demo site: a site's
 * daily budget refuses the payment that would pass it before anything is
 * signed, resets at local midnight, an overall monthly budget spans sites'
 * payments and resets on the 1st, alerts at 80% and 100% land in the
 * history, and a paused site is paid nothing while its approval stays.
 * The clock is faked (Date only) to cross the boundaries. The devnet and the
 * demo run in this process, so they follow it; a chain never goes back in
 * time, so every faked moment lies after the real one, counted from the day
 * the test runs (a fixed day would be "in the past" once it has gone by).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { startDevnetAndDemo } from '../../support/demoSite'
import { readerScope } from '../../support/readerScope'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
beforeAll(async () => void (env = await startDevnetAndDemo()))
afterAll(() => env.stop())
beforeEach(() => fakeBrowser.reset())
afterEach(() => vi.useRealTimers())

const photo = () => `${env.demo.origin}/api/sessions/photo`
/** Local time, as the reader's calendar: `days` days after `from`'s date, at h:min. */
const daysAfter = (from: Date, days: number, h: number, min = 0) => new Date(from.getFullYear(), from.getMonth(), from.getDate() + days, h, min)
/** Local time on the last day of `from`'s month (day 0 of the next one), at h:min. */
const lastDayOfMonth = (from: Date, h: number, min = 0) => new Date(from.getFullYear(), from.getMonth() + 1, 0, h, min)

describe('budgets over time', () => {
  // First: the tests below move the clock (and so the devnet's block times) forward.
  test('a paused site is paid nothing; resumed, it is paid under the same approval', async () => {
    const reader = await readerScope(env.devnet, 4)
    const { approval, challenge } = await reader.approve(env.demo.origin, photo(), '1')
    expect((await reader.paidFetch(env.demo.origin, photo())).response.status).toBe(200)
    await reader.scope.approvals.grant({ ...approval, paused: true })
    expect((await reader.paidFetch(env.demo.origin, photo())).outcome).toMatchObject({ outcome: 'refused', message: expect.stringContaining('is paused in Drip') })
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(10_000n)
    await reader.scope.approvals.grant({ ...(await reader.scope.approvals.get(env.demo.origin))!, paused: false })
    expect((await reader.paidFetch(env.demo.origin, photo())).response.status).toBe(200)
  })

  test('a site’s daily budget of $0.03: three photos, the fourth refused unsigned, and after midnight it pays again', async () => {
    const today = new Date()
    vi.useFakeTimers({ toFake: ['Date'], now: daysAfter(today, 1, 23, 50) })
    const reader = await readerScope(env.devnet, 2)
    const { challenge } = await reader.approve(env.demo.origin, photo(), '1')
    await reader.scope.budgets.setBudgets({ overall: {}, sites: { [env.demo.origin]: { daily: '30000' } }, notify: false })
    for (let i = 0; i < 3; i++) expect((await reader.paidFetch(env.demo.origin, photo())).response.status).toBe(200)
    const refused = await reader.paidFetch(env.demo.origin, photo())
    expect(refused.response.status).toBe(402)
    expect(refused.outcome).toMatchObject({ outcome: 'refused', message: expect.stringContaining(`would pass ${env.demo.origin}'s daily budget of $0.03 ($0.03 spent today)`) })
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(30_000n)
    const alerts = (await reader.scope.ledger.list()).filter((e) => e.kind === 'budget').map((e) => e.detail)
    expect(alerts).toEqual([`${env.demo.origin}'s daily budget is used up: $0.03 of $0.03.`, `${env.demo.origin}'s daily budget is 80% used: $0.03 of $0.03.`])
    const afterMidnight = daysAfter(today, 2, 0, 1)
    vi.setSystemTime(afterMidnight)
    expect((await reader.paidFetch(env.demo.origin, photo())).response.status).toBe(200)
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(40_000n)
    // That midnight may also be the 1st of a month.
    const sameMonth = afterMidnight.getDate() !== 1
    expect(await reader.scope.budgets.usage()).toMatchObject({ today: 10_000n, month: sameMonth ? 40_000n : 10_000n })
  })

  test('an overall monthly budget of $0.02 spans the month and resets on the 1st', async () => {
    // The month after the daily test's days (which moved the chain up to two days ahead).
    const monthEnd = lastDayOfMonth(daysAfter(new Date(), 3, 12), 22)
    vi.useFakeTimers({ toFake: ['Date'], now: monthEnd })
    const reader = await readerScope(env.devnet, 3)
    await reader.approve(env.demo.origin, photo(), '1')
    await reader.scope.budgets.setBudgets({ overall: { monthly: '20000' }, sites: {}, notify: false })
    expect((await reader.paidFetch(env.demo.origin, photo())).response.status).toBe(200)
    vi.setSystemTime(lastDayOfMonth(monthEnd, 23))
    expect((await reader.paidFetch(env.demo.origin, photo())).response.status).toBe(200)
    expect((await reader.paidFetch(env.demo.origin, photo())).outcome).toMatchObject({ outcome: 'refused', message: expect.stringContaining('your overall monthly budget of $0.02') })
    vi.setSystemTime(daysAfter(monthEnd, 1, 0, 5))
    expect((await reader.paidFetch(env.demo.origin, photo())).response.status).toBe(200)
  })

})
