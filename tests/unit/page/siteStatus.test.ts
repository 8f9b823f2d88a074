/**
 * What the page world knows of its site before and after Drip's answer: a
 * site whose registered script said at document_start that it pays waits
 * for the answer; any other does not pay until told so, whatever the
 * worker's speed. The page's own event, dispatched once the document has
 * content, is not that script's.
 */
import { describe, expect, test } from 'vitest'
import { announcePayingSite } from '@/lib/page/payingSiteHint'
import { createSiteStatus } from '@/lib/page/siteStatus'
import { payingSiteHintType, siteStatusTag } from '@/lib/protocol/pageBridge'

/** A window as the page world sees it at document_start (an empty root element, no script), whose isolated half the test plays. */
function pageAtDocumentStart() {
  const root = { children: 0, hasChildNodes: () => root.children > 0 }
  const document = { documentElement: root, scripts: [] as unknown[] }
  const events = new EventTarget()
  let isolated: MessagePort | undefined
  const target = Object.assign(events, {
    document,
    location: { origin: 'https://site.example' },
    postMessage(message: { drip?: string }, _origin: string, ports: MessagePort[]) {
      if (message.drip === siteStatusTag) isolated = ports[0]
    },
  })
  return {
    window: target as unknown as Window,
    /** The page's parser has added its first elements and scripts. */
    parsed() {
      root.children = 2
      document.scripts.push({})
    },
    /** The isolated content script passes on Drip's answer. */
    answer(pays: boolean) {
      isolated!.postMessage({ pays })
    },
  }
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 20))

describe('the site status a page world holds', () => {
  test('a site not registered as paying does not pay before the answer: its early sockets are the browser’s own', async () => {
    const page = pageAtDocumentStart()
    const site = createSiteStatus(page.window)
    page.parsed()
    expect(site.pays).toBe(false)
    expect(await site.paying()).toBe(false)
    page.answer(true)
    await settled()
    expect(site.pays).toBe(true)
  })

  test('a site registered as paying waits for the answer, and then has it', async () => {
    const page = pageAtDocumentStart()
    const site = createSiteStatus(page.window)
    announcePayingSite(page.window)
    page.parsed()
    expect(site.pays).toBeUndefined()
    const paying = site.paying()
    page.answer(false)
    expect(await paying).toBe(false)
    expect(site.pays).toBe(false)
  })

  test('told that a site that paid pays no more (the reader revoked it), the page hears it once; a site that never paid, never', async () => {
    const page = pageAtDocumentStart()
    const site = createSiteStatus(page.window)
    page.parsed()
    const stopped: string[] = []
    site.onStop(() => stopped.push('stopped'))
    page.answer(false)
    await settled()
    expect(stopped).toEqual([])
    page.answer(true)
    page.answer(false)
    page.answer(false)
    await settled()
    expect([site.pays, stopped]).toEqual([false, ['stopped']])
    // A page loaded while its site paid (the registered script), told at once that it pays no more.
    const hinted = pageAtDocumentStart()
    const hintedSite = createSiteStatus(hinted.window)
    announcePayingSite(hinted.window)
    hinted.parsed()
    hintedSite.onStop(() => stopped.push('stopped at load'))
    hinted.answer(false)
    await settled()
    expect(stopped).toEqual(['stopped', 'stopped at load'])
  })

  test('the same event dispatched by the page once it has content is not the registered script’s', async () => {
    const page = pageAtDocumentStart()
    const site = createSiteStatus(page.window)
    page.parsed()
    page.window.dispatchEvent(new Event(payingSiteHintType))
    expect(site.pays).toBe(false)
  })
})
