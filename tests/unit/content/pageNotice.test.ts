// @vitest-environment happy-dom
/**
 * The in-page notice of a request Drip did not pay: one box per document,
 * repeats counted, dismissed by the reader or after `noticeMs`.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { dismiss, noticeMs, pageNotices, showPageNotice } from '@/lib/content/pageNotice'

const hosts = () => [...document.querySelectorAll('drip-page-notice')]
const text = () => hosts()[0]?.getAttribute('data-text')

describe('the in-page notice', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => {
    dismiss(document)
    vi.useRealTimers()
  })

  test('shows the message in a shadow root, as a polite status, with the tone', () => {
    showPageNotice(document, 'Paying $0.01 more would pass your daily budget.', 'error')
    expect(hosts()).toHaveLength(1)
    expect(text()).toBe('Paying $0.01 more would pass your daily budget.')
    const root = hosts()[0]!.shadowRoot!
    expect(root.querySelector('[role="status"]')!.classList.contains('error')).toBe(true)
    expect(root.querySelector('.text')!.textContent).toBe('Paying $0.01 more would pass your daily budget.')
  })

  test('the same message again counts up instead of stacking; another message replaces it', () => {
    showPageNotice(document, 'refused', 'error')
    showPageNotice(document, 'refused', 'error')
    showPageNotice(document, 'refused', 'error')
    expect(hosts()).toHaveLength(1)
    expect(text()).toBe('refused (3 times)')
    showPageNotice(document, 'approve it in Drip', 'info')
    expect(hosts()).toHaveLength(1)
    expect(text()).toBe('approve it in Drip')
    expect(hosts()[0]!.shadowRoot!.querySelector('[role="status"]')!.classList.contains('error')).toBe(false)
  })

  test('Dismiss removes it, and a later message shows a new one', () => {
    showPageNotice(document, 'one', 'info')
    hosts()[0]!.shadowRoot!.querySelector('button')!.click()
    expect(hosts()).toHaveLength(0)
    showPageNotice(document, 'two', 'info')
    expect(text()).toBe('two')
  })

  test(`it hides itself ${noticeMs} ms after the last message`, () => {
    showPageNotice(document, 'one', 'info')
    vi.advanceTimersByTime(noticeMs - 1_000)
    showPageNotice(document, 'one', 'info')
    vi.advanceTimersByTime(noticeMs - 1_000)
    expect(hosts()).toHaveLength(1)
    vi.advanceTimersByTime(1_000)
    expect(hosts()).toHaveLength(0)
  })

  test('a page that removed the box gets a new one for the next message, which stays its full time', () => {
    showPageNotice(document, 'one', 'info')
    vi.advanceTimersByTime(noticeMs - 1_000)
    hosts()[0]!.remove()
    showPageNotice(document, 'two', 'info')
    expect(hosts()).toHaveLength(1)
    expect(text()).toBe('two')
    vi.advanceTimersByTime(noticeMs - 1)
    expect(hosts()).toHaveLength(1)
  })

  test('a waiting request: its notice stays for the whole wait, and goes when the request carries on, unless another message took its place', () => {
    const notices = pageNotices(document, 60_000)
    notices.waiting('Waiting for your approval in Drip.')
    vi.advanceTimersByTime(noticeMs + 1)
    expect(text()).toBe('Waiting for your approval in Drip.')
    notices.carriedOn('Waiting for your approval in Drip.')
    expect(hosts()).toHaveLength(0)
    notices.waiting('Waiting for your approval in Drip.')
    notices.unpaid('Drip is locked.', 'locked')
    notices.carriedOn('Waiting for your approval in Drip.')
    expect(text()).toBe('Drip is locked.')
    vi.advanceTimersByTime(noticeMs + 1)
    expect(hosts()).toHaveLength(0)
  })
})
