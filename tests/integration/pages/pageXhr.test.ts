/**
 * A page's XMLHttpRequest as Drip wraps it (the XHR of a happy-dom window
 * at the demo's gallery as the browser's own; the demo site and the devnet
 * keep Node's own globals), and axios' XHR adapter on top of it, in Node against the
 * demo site on the devnet: a 402 is paid through the hand-over and the
 * same object goes on as if the site had answered the paid response;
 * unapproved, the page sees the 402 and Drip a pending request.
 */
import { Window } from 'happy-dom'
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { startDevnetAndDemo } from '../../support/demoSite'
import type { HandOver } from '@/lib/page/handOver'
import { PaidUrls } from '@/lib/page/paidUrls'
import { inProcessHandOver, readerScope } from '../../support/readerScope'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
/** The page: the demo's own gallery, so its requests are same-origin. */
let window: Window
let wrapXMLHttpRequest: typeof import('@/lib/page/xhr').wrapXMLHttpRequest
let nodeGlobals: Record<string, unknown> = {}
beforeAll(async () => {
  env = await startDevnetAndDemo()
  window = new Window({ url: `${env.demo.origin}/real/gallery` })
  // The wrapper runs in a page: its events, documents and event targets are the page's (Node has no ProgressEvent,
  // and its EventTarget refuses another realm's events), so it is loaded with the window's.
  const pageGlobals = { EventTarget: window.EventTarget, Event: window.Event, ProgressEvent: window.ProgressEvent, Document: window.Document, XMLSerializer: window.XMLSerializer }
  nodeGlobals = Object.fromEntries(Object.keys(pageGlobals).map((name) => [name, (globalThis as Record<string, unknown>)[name]]))
  Object.assign(globalThis, pageGlobals)
  ;({ wrapXMLHttpRequest } = await import('@/lib/page/xhr'))
})
afterAll(async () => {
  Object.assign(globalThis, nodeGlobals)
  await window.happyDOM.close()
  await env.stop()
})
beforeEach(() => fakeBrowser.reset())

const photoPath = '/api/sessions/photo'

async function pageXhr(accountIndex: number) {
  const reader = await readerScope(env.devnet, accountIndex)
  const PageXhr = wrapXMLHttpRequest(window.XMLHttpRequest as unknown as typeof XMLHttpRequest, inProcessHandOver(reader.scope, env.demo.origin), () => window.location.href)
  return { reader, PageXhr }
}

function send(xhr: XMLHttpRequest, method: string, path: string, responseType: XMLHttpRequestResponseType = '') {
  const events: string[] = []
  return new Promise<{ events: string[]; xhr: XMLHttpRequest }>((resolve) => {
    xhr.open(method, path)
    xhr.responseType = responseType
    // Listeners, not on* properties: happy-dom's dispatchEvent also calls on* handlers, which browsers leave to the
    // wrapper (axios, below, and the Chromium and Firefox e2e pages use the on* properties).
    xhr.addEventListener('readystatechange', () => events.push(`readyState ${xhr.readyState}`))
    xhr.addEventListener('load', () => events.push('load'))
    xhr.addEventListener('loadend', () => {
      events.push('loadend')
      resolve({ events, xhr })
    })
    xhr.send()
  })
}

describe("a page's own XMLHttpRequest, paid by Drip", () => {
  test('approved: responseType json, status 200, the photo; one unit signed; the 402 never shows', async () => {
    const { reader, PageXhr } = await pageXhr(2)
    const { challenge } = await reader.approve(env.demo.origin, `${env.demo.origin}${photoPath}`, '1')
    const { xhr, events } = await send(new PageXhr(), 'GET', photoPath, 'json')
    expect(xhr.status).toBe(200)
    expect((xhr.response as { url: string }).url).toMatch(/\/photos\/\d+\.svg$/)
    expect(events.filter((e) => e.startsWith('readyState')).at(-1)).toBe('readyState 4')
    expect(events.slice(-2)).toEqual(['load', 'loadend'])
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(10_000n)
  })

  test('axios with its XHR adapter, unchanged: three photos, three units', async () => {
    const { reader, PageXhr } = await pageXhr(3)
    const { challenge } = await reader.approve(env.demo.origin, `${env.demo.origin}${photoPath}`, '1')
    const saved = globalThis.XMLHttpRequest
    globalThis.XMLHttpRequest = PageXhr
    try {
      // Imported once the page's XMLHttpRequest exists: axios decides at load whether its XHR adapter can run.
      const { default: axios } = await import('axios')
      const client = axios.create({ adapter: 'xhr', baseURL: env.demo.origin })
      for (let i = 0; i < 3; i++) expect((await client.get(photoPath)).data.url).toMatch(/\/photos\/\d+\.svg$/)
    } finally {
      globalThis.XMLHttpRequest = saved
    }
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(30_000n)
  })

  test('a URL the page paid goes straight to Drip on its next XHRs: the browser sends once for three photos, each paid; a refusal then leaves the page the site’s 402, asked once', async () => {
    const reader = await readerScope(env.devnet, 5)
    const { challenge } = await reader.approve(env.demo.origin, `${env.demo.origin}${photoPath}`, '1')
    let sent = 0
    const Browser = window.XMLHttpRequest as unknown as typeof XMLHttpRequest
    const Counted = class extends Browser {
      override send(body?: Document | XMLHttpRequestBodyInit | null) {
        sent++
        super.send(body)
      }
    }
    let refuse = false
    const inProcess = inProcessHandOver(reader.scope, env.demo.origin)
    const handOver = vi.fn<HandOver>((request, signal) => (refuse ? Promise.resolve(undefined) : inProcess(request, signal)))
    const PageXhr = wrapXMLHttpRequest(Counted, handOver, () => window.location.href, new PaidUrls(() => window.location.href))
    /** A new XHR that counts its loadstart events: one each, as the browser's. */
    const counted = () => {
      const xhr = new PageXhr()
      const heard = { loadstart: 0 }
      xhr.addEventListener('loadstart', () => heard.loadstart++)
      return Object.assign(xhr, { heard })
    }
    for (let i = 0; i < 3; i++) {
      const page = counted()
      const { xhr, events } = await send(page, 'GET', photoPath, 'json')
      expect(page.heard.loadstart).toBe(1)
      expect(xhr.status).toBe(200)
      expect((xhr.response as { url: string }).url).toMatch(/\/photos\/\d+\.svg$/)
      expect(events.slice(-2)).toEqual(['load', 'loadend'])
    }
    expect(sent).toBe(1)
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(30_000n)
    refuse = true
    const refused = counted()
    const { xhr } = await send(refused, 'GET', photoPath)
    expect(xhr.status).toBe(402)
    expect(refused.heard.loadstart).toBe(1)
    expect([sent, handOver.mock.calls.length]).toEqual([2, 4])
    const { xhr: after } = await send(new PageXhr(), 'GET', photoPath)
    expect(after.status).toBe(402)
    // Forgotten: asked of the site, and its 402 handed over (refused again).
    expect([sent, handOver.mock.calls.length]).toEqual([3, 5])
  })

  test('unapproved: the request waits with a pending request and nothing signed; approved, the same XHR loads the photo (one unit)', async () => {
    const { reader, PageXhr } = await pageXhr(4)
    const sending = send(new PageXhr(), 'GET', photoPath, 'json')
    await vi.waitFor(() => expect(reader.scope.approvals.waits.held(env.demo.origin)).toBe(1))
    expect(await reader.scope.approvals.pending()).toMatchObject([{ origin: env.demo.origin, unitType: 'photo' }])
    expect(await reader.scope.records.spentByOrigin()).toEqual({})
    const { challenge } = await reader.approve(env.demo.origin, `${env.demo.origin}${photoPath}`, '1')
    const { xhr, events } = await sending
    expect(xhr.status).toBe(200)
    expect(events).toContain('load')
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(10_000n)
  })

  test('unapproved and not answered within the wait: the page sees the 402 (axios rejects with it); nothing is signed', async () => {
    const reader = await readerScope(env.devnet, 4)
    const PageXhr = wrapXMLHttpRequest(window.XMLHttpRequest as unknown as typeof XMLHttpRequest, inProcessHandOver(reader.scope, env.demo.origin, { waitMs: 50 }), () => window.location.href)
    const { xhr } = await send(new PageXhr(), 'GET', photoPath)
    expect(xhr.status).toBe(402)
    expect(await reader.scope.approvals.pending()).toMatchObject([{ origin: env.demo.origin, unitType: 'photo' }])
    expect(await reader.scope.records.spentByOrigin()).toEqual({})
  })
})
