/**
 * The kinds of a tab's requests Drip's `webRequest` observation hears: every
 * kind a page can pay with (its fetch and XHR, EventSource, WebSocket,
 * images, media, documents), and none it cannot (style sheets, scripts,
 * fonts, pings), so a page of many parts wakes Drip only for those.
 */
import { describe, expect, test } from 'vitest'
import { observedRequestFilter } from '@/lib/background/observedRequests'

describe('which requests Drip observes', () => {
  test.each([
    ['Chromium', false],
    ['Firefox', true],
  ])('%s: every URL, the kinds a page pays with', (_browser, firefox) => {
    const filter = observedRequestFilter(firefox)
    expect(filter.urls).toEqual(['<all_urls>'])
    for (const payable of ['main_frame', 'sub_frame', 'xmlhttprequest', 'other', 'websocket', 'image', 'media']) expect(filter.types).toContain(payable)
    for (const never of ['stylesheet', 'script', 'font', 'ping', 'csp_report', 'object']) expect(filter.types).not.toContain(never)
  })

  test('Firefox alone has a kind of its own for images of a srcset or a <picture>', () => {
    expect(observedRequestFilter(true).types).toContain('imageset')
    expect(observedRequestFilter(false).types).not.toContain('imageset')
  })
})
