import { describe, expect, test } from 'vitest'
import { ApprovalWaits, maxHeldPerSite } from '@/lib/payments/approvalWaits'

const news = 'https://news.example'
const shop = 'https://shop.example'

describe('ApprovalWaits: page requests held until the reader answers their site', () => {
  test("the reader's answer wakes every waiter of that site, and only of that site", async () => {
    const waits = new ApprovalWaits()
    const forever = new AbortController().signal
    const woken: string[] = []
    const a = waits.next(news, forever).then((d) => woken.push(`news 1 ${d}`))
    const b = waits.next(news, forever).then((d) => woken.push(`news 2 ${d}`))
    void waits.next(shop, forever).then((d) => woken.push(`shop ${d}`))
    expect([waits.held(news), waits.held(shop)]).toEqual([2, 1])
    waits.decided(news)
    await Promise.all([a, b])
    expect(woken).toEqual(['news 1 decided', 'news 2 decided'])
    expect([waits.held(news), waits.held(shop)]).toEqual([0, 1])
  })

  test('a wait ends when its signal does (the page gave up, or the time ran out); an ended signal does not wait at all', async () => {
    const waits = new ApprovalWaits()
    const controller = new AbortController()
    const waiting = waits.next(news, controller.signal)
    controller.abort()
    expect(await waiting).toBe('expired')
    expect(waits.held(news)).toBe(0)
    expect(await waits.next(news, controller.signal)).toBe('expired')
    waits.decided(news)
  })

  test(`a site holds at most ${maxHeldPerSite} requests`, () => {
    const waits = new ApprovalWaits()
    const signal = new AbortController().signal
    for (let i = 0; i < maxHeldPerSite - 1; i++) void waits.next(news, signal)
    expect(waits.hasRoom(news)).toBe(true)
    void waits.next(news, signal)
    expect(waits.hasRoom(news)).toBe(false)
    expect(waits.hasRoom(shop)).toBe(true)
    waits.decided(news)
  })
})
