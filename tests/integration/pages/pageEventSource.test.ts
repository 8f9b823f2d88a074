/**
 * The page's EventSource as Drip wraps it, in Node against the demo site on
 * the devnet: the browser's own EventSource (here a stand-in that fails
 * before opening, as a native one does on a 402) hands over to the paid
 * stream through the page's wrapped fetch and the in-process background.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { poem, poemWords } from '@/demo/content'
import { defineEventHandlers } from '@/lib/page/eventHandlers'
import { wrapEventSource } from '@/lib/page/eventSource'
import { startDevnetAndDemo } from '../../support/demoSite'
import { readerScope } from '../../support/readerScope'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
beforeAll(async () => void (env = await startDevnetAndDemo()))
afterAll(() => env.stop())
beforeEach(() => fakeBrowser.reset())

/** The page the streams are read on: relative URLs resolve against it, as in the browser. */
const pageUrl = () => `${env.demo.origin}/real/poem`

/** What a browser's EventSource does with a 402: it fails before opening and closes. Its state and `on*` handlers are accessors on the prototype, as the browser's. */
class FailsBeforeOpening extends EventTarget {
  static readonly CLOSED = 2
  readonly url: string
  #readyState = 0
  constructor(url: string | URL) {
    super()
    this.url = new URL(url, pageUrl()).href
    setTimeout(() => {
      this.#readyState = 2
      this.dispatchEvent(new Event('error'))
    }, 5)
  }
  get readyState() {
    return this.#readyState
  }
  close() {
    this.#readyState = 2
  }
}
defineEventHandlers(FailsBeforeOpening.prototype, ['open', 'message', 'error'])

/** The browser's webRequest record, as `page.paymentSeen` answers it: this stream's request was a 402 (the demo's paid poem). */
const saw402 = async () => 'Payment'

describe("a page's own EventSource, paid by Drip", () => {
  test('the seed poem: header then every word as message events, closed after the site completes it, words × $0.001', async () => {
    const reader = await readerScope(env.devnet, 2)
    const { challenge } = await reader.approve(env.demo.origin, `${env.demo.origin}/api/sessions/poem`, '1')
    const PageEventSource = wrapEventSource(FailsBeforeOpening as unknown as typeof EventSource, reader.pageFetch(env.demo.origin), saw402)
    const source = new PageEventSource('/api/sessions/poem')
    const messages: string[] = []
    let opened = 0
    source.onopen = () => void opened++
    source.onmessage = (event) => void messages.push((event as MessageEvent<string>).data)
    await new Promise<void>((resolve) => source.addEventListener('error', () => source.readyState === PageEventSource.CLOSED && resolve()))
    expect(opened).toBe(1)
    expect(JSON.parse(messages[0]!)).toEqual({ title: poem.title, author: poem.author })
    expect(messages.slice(1)).toEqual(poemWords)
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(BigInt(poemWords.length) * 1_000n)
  })

  test('an unapproved site: the EventSource waits for the reader, then opens and reads every word once approved', async () => {
    const reader = await readerScope(env.devnet, 3)
    const PageEventSource = wrapEventSource(FailsBeforeOpening as unknown as typeof EventSource, reader.pageFetch(env.demo.origin), saw402)
    const source = new PageEventSource('/api/sessions/poem')
    const messages: string[] = []
    source.onmessage = (event) => void messages.push((event as MessageEvent<string>).data)
    const closed = new Promise<void>((resolve) => source.addEventListener('error', () => source.readyState === PageEventSource.CLOSED && resolve()))
    await vi.waitFor(() => expect(reader.scope.approvals.waits.held(env.demo.origin)).toBe(1))
    expect(messages).toEqual([])
    expect(await reader.scope.records.spentByOrigin()).toEqual({})
    const { challenge } = await reader.approve(env.demo.origin, `${env.demo.origin}/api/sessions/poem`, '1')
    await closed
    expect(messages.slice(1)).toEqual(poemWords)
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(BigInt(poemWords.length) * 1_000n)
  })

  test('an unapproved site not answered within the wait: the page hears the native error and nothing is paid', async () => {
    const reader = await readerScope(env.devnet, 3)
    const PageEventSource = wrapEventSource(FailsBeforeOpening as unknown as typeof EventSource, reader.pageFetch(env.demo.origin, { waitMs: 50 }), saw402)
    const source = new PageEventSource('/api/sessions/poem')
    let messages = 0
    source.onmessage = () => void messages++
    await new Promise<void>((resolve) => (source.onerror = () => source.readyState === PageEventSource.CLOSED && resolve()))
    expect(messages).toBe(0)
    expect(await reader.scope.approvals.pending()).toMatchObject([{ origin: env.demo.origin, unitType: 'word' }])
    expect(await reader.scope.records.spentByOrigin()).toEqual({})
  })

  test('a stream that failed without a 402 (a 404, a wrong type): the page hears the native error, and nothing is fetched again', async () => {
    const paidFetch = vi.fn<typeof fetch>()
    const PageEventSource = wrapEventSource(FailsBeforeOpening as unknown as typeof EventSource, paidFetch, async () => null)
    const source = new PageEventSource('/missing')
    const errors: number[] = []
    await new Promise<void>((resolve) => (source.onerror = (event) => (errors.push(event.target === source ? source.readyState : -1), resolve())))
    expect(errors).toEqual([PageEventSource.CLOSED])
    expect(paidFetch).not.toHaveBeenCalled()
  })

  test('a page that closes its EventSource while Drip is asked hears nothing more, and nothing is fetched', async () => {
    const paidFetch = vi.fn<typeof fetch>()
    let answer: (challenge: string | null) => void = () => {}
    const asked = vi.fn(() => new Promise<string | null>((settle) => (answer = settle)))
    const PageEventSource = wrapEventSource(FailsBeforeOpening as unknown as typeof EventSource, paidFetch, asked)
    const source = new PageEventSource('/api/sessions/poem')
    const heard: string[] = []
    source.onerror = () => void heard.push('error')
    await vi.waitFor(() => expect(asked).toHaveBeenCalled())
    source.close()
    answer('Payment')
    // Every promise continuation runs before a task: by then Drip would have fetched or told the page.
    await new Promise((settle) => setTimeout(settle, 0))
    expect(heard).toEqual([])
    expect(paidFetch).not.toHaveBeenCalled()
    expect(source.readyState).toBe(PageEventSource.CLOSED)
  })
})
