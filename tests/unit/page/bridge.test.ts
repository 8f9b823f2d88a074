import { describe, expect, test, vi } from 'vitest'
import type { Browser } from 'wxt/browser'
import { silentNotices } from '@/lib/content/handOvers'
import { relayRequests } from '@/lib/content/requestRelay'
import { wrapFetch } from '@/lib/page/bridge'
import { createHandOver, type HandOver } from '@/lib/page/handOver'
import { maxPaidUrls, PaidUrls } from '@/lib/page/paidUrls'
import type { PaidRequest, RequestCommand, RequestReport } from '@/lib/protocol/requestPort'

function server(statuses: number[]) {
  const seen: Request[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    const request = input as Request
    seen.push(request)
    const status = statuses.shift() ?? 200
    return new Response(status === 402 ? null : 'ok', { status, headers: status === 402 ? { 'www-authenticate': 'Payment id="1", intent="session"' } : {} })
  })
  return { fetch: fetch as unknown as typeof globalThis.fetch, seen }
}

describe('wrapFetch', () => {
  test('the browser gets the page’s own arguments, untouched, and the page sees the same function (name, length, this)', async () => {
    const calls: unknown[][] = []
    const native = async function fetch(this: unknown, ...args: unknown[]) {
      calls.push([this, ...args])
      return new Response('ok')
    } as unknown as typeof globalThis.fetch
    const wrapped = wrapFetch(native, vi.fn())
    const init = { headers: { 'x-app': '1' } }
    const holder = { wrapped }
    await holder.wrapped('https://site.test/a', init)
    expect(calls).toEqual([[holder, 'https://site.test/a', init]])
    expect(calls[0]![2]).toBe(init)
    expect([wrapped.name, wrapped.length]).toEqual([native.name, native.length])
  })

  test('a page’s Request with a body is sent as it is; on a 402 its copy is handed over', async () => {
    const { fetch, seen } = server([402])
    const handOver = vi.fn<HandOver>(async () => new Response('paid'))
    const request = new Request('https://site.test/api', { method: 'PUT', body: 'data' })
    expect(await (await wrapFetch(fetch, handOver)(request)).text()).toBe('paid')
    expect(seen[0]).toBe(request)
    expect(new TextDecoder().decode(handOver.mock.calls[0]![0].body!)).toBe('data')
  })

  test('non-402 responses pass through without asking Drip', async () => {
    const { fetch } = server([200])
    const handOver = vi.fn()
    expect((await wrapFetch(fetch, handOver)('https://site.test/a')).status).toBe(200)
    expect(handOver).not.toHaveBeenCalled()
  })

  test('a 402 is handed over to Drip with the same method, headers, body and credentials, and the page gets the paid response', async () => {
    const { fetch } = server([402])
    const handOver = vi.fn<HandOver>(async () => new Response('paid body', { status: 200 }))
    const response = await wrapFetch(fetch, handOver)('https://site.test/api', { method: 'POST', body: 'hello', headers: { 'x-app': '1' }, credentials: 'include' })
    expect(await response.text()).toBe('paid body')
    const [request] = handOver.mock.calls[0]!
    expect(request).toMatchObject({ url: 'https://site.test/api', method: 'POST', credentials: 'include', wwwAuthenticate: 'Payment id="1", intent="session"' })
    expect(new Headers(request.headers).get('x-app')).toBe('1')
    expect(new TextDecoder().decode(request.body!)).toBe('hello')
  })

  test('a GET is handed over without a body', async () => {
    const { fetch } = server([402])
    const handOver = vi.fn<HandOver>(async () => new Response('ok'))
    await wrapFetch(fetch, handOver)('https://site.test/a')
    expect(handOver.mock.calls[0]![0].body).toBeNull()
  })

  test('when Drip does not pay, or fails, the page gets the site’s original 402', async () => {
    for (const handOver of [async () => undefined, async () => Promise.reject(new Error('gone'))]) {
      const { fetch, seen } = server([402])
      const response = await wrapFetch(fetch, handOver)('https://site.test/a')
      expect(response.status).toBe(402)
      expect(response.headers.get('www-authenticate')).toBe('Payment id="1", intent="session"')
      expect(seen).toHaveLength(1)
    }
  })

  test('a paid answer the site’s CORS keeps from the page is the browser’s network error, not the 402', async () => {
    const { fetch } = server([402])
    await expect(wrapFetch(fetch, async () => Promise.reject(new TypeError('Failed to fetch')))('https://api.test/a')).rejects.toThrow(new TypeError('Failed to fetch'))
  })

  test('a GET this document had paid goes straight to Drip with the challenge it was paid on: the site is asked once, not twice', async () => {
    const { fetch, seen } = server([402])
    const handOver = vi.fn<HandOver>(async () => new Response('paid'))
    const paying = wrapFetch(fetch, handOver, new PaidUrls(() => 'https://site.test'))
    expect(await (await paying('https://site.test/photo')).text()).toBe('paid')
    expect(await (await paying('https://site.test/photo')).text()).toBe('paid')
    expect(seen).toHaveLength(1)
    expect(handOver.mock.calls.map(([request]) => request.wwwAuthenticate)).toEqual(['Payment id="1", intent="session"', 'Payment id="1", intent="session"'])
    // Another URL, a POST, or another origin's API still asks the site first.
    await paying('https://site.test/other')
    await paying('https://site.test/photo', { method: 'POST', body: 'x' })
    expect(seen).toHaveLength(3)
  })

  test('straight to Drip but not paid (a budget, a revoke, a lock): forgotten, and the page gets the site’s own answer, not handed over twice', async () => {
    const { fetch, seen } = server([402, 402])
    const answers: (Response | undefined)[] = [new Response('paid'), undefined]
    const handOver = vi.fn<HandOver>(async () => answers.shift())
    const paidUrls = new PaidUrls(() => 'https://site.test')
    const paying = wrapFetch(fetch, handOver, paidUrls)
    await paying('https://site.test/photo')
    const response = await paying('https://site.test/photo')
    // One refusal, not two: Drip was asked once for this request, and the site's 402 reaches the page as it is.
    expect(response.status).toBe(402)
    expect(response.headers.get('www-authenticate')).toBe('Payment id="1", intent="session"')
    expect(handOver).toHaveBeenCalledTimes(2)
    expect(seen).toHaveLength(2)
    expect(paidUrls.challengeFor('https://site.test/photo', 'GET')).toBeUndefined()
  })

  test('straight to Drip, and the site still says 402 to the paid request (its price changed): the page asks the site and hands its current challenge over, once', async () => {
    const { fetch, seen } = server([402, 402])
    const answers: (Response | undefined)[] = [new Response('paid'), new Response('still unpaid', { status: 402 }), new Response('paid at the new price')]
    const handOver = vi.fn<HandOver>(async () => answers.shift())
    const paidUrls = new PaidUrls(() => 'https://site.test')
    const paying = wrapFetch(fetch, handOver, paidUrls)
    await paying('https://site.test/photo')
    expect(await (await paying('https://site.test/photo')).text()).toBe('paid at the new price')
    expect(handOver).toHaveBeenCalledTimes(3)
    expect(seen).toHaveLength(2)
  })

  test('a paid answer that is not a 402 (the site failed after payment) is the page’s, never paid again', async () => {
    const { fetch, seen } = server([402])
    const answers = [new Response('paid'), new Response('oops', { status: 500 })]
    const paying = wrapFetch(fetch, async () => answers.shift(), new PaidUrls(() => 'https://site.test'))
    await paying('https://site.test/photo')
    expect((await paying('https://site.test/photo')).status).toBe(500)
    expect(seen).toHaveLength(1)
  })

  test('the direct path reads the page’s arguments without building a Request: relative URLs resolve, and only a bodiless GET of a kept URL matches', () => {
    const paidUrls = new PaidUrls(() => 'https://site.test/gallery/index.html')
    expect(paidUrls.challengeForFetch('/photo', undefined)).toBeUndefined()
    paidUrls.remember('https://site.test/photo', 'GET', 'Payment id="1", intent="session"')
    expect(paidUrls.challengeForFetch('/photo', undefined)).toBe('Payment id="1", intent="session"')
    expect(paidUrls.challengeForFetch(new URL('https://site.test/photo'), { method: 'get' })).toBe('Payment id="1", intent="session"')
    expect(paidUrls.challengeForFetch(new Request('https://site.test/photo'), undefined)).toBe('Payment id="1", intent="session"')
    expect(paidUrls.challengeForFetch('/photo', { method: 'POST', body: 'x' })).toBeUndefined()
    expect(paidUrls.challengeForFetch('../photo?x', undefined)).toBeUndefined()
  })

  test('a page streaming an upload while a URL is kept: its stream reaches the browser untouched', async () => {
    const { fetch, seen } = server([200])
    const paidUrls = new PaidUrls(() => 'https://site.test')
    paidUrls.remember('https://site.test/photo', 'GET', 'Payment id="1", intent="session"')
    const body = new ReadableStream({ start: (controller) => (controller.enqueue(new TextEncoder().encode('chunk')), controller.close()) })
    const handOver = vi.fn<HandOver>()
    await wrapFetch(fetch, handOver, paidUrls)('https://site.test/upload', { method: 'POST', body, duplex: 'half' } as RequestInit)
    expect(body.locked).toBe(false)
    expect(seen).toHaveLength(1)
    expect(handOver).not.toHaveBeenCalled()
  })

  test(`only the page's own origin's URLs are kept, at most ${maxPaidUrls}, the oldest going first`, () => {
    const paidUrls = new PaidUrls(() => 'https://site.test')
    paidUrls.remember('https://api.other/photo', 'GET', 'Payment id="1", intent="session"')
    expect(paidUrls.challengeFor('https://api.other/photo', 'GET')).toBeUndefined()
    for (let i = 0; i <= maxPaidUrls; i++) paidUrls.remember(`https://site.test/${i}`, 'GET', `Payment id="${i}", intent="session"`)
    expect(paidUrls.challengeFor('https://site.test/0', 'GET')).toBeUndefined()
    expect(paidUrls.challengeFor(`https://site.test/${maxPaidUrls}`, 'GET')).toBe(`Payment id="${maxPaidUrls}", intent="session"`)
    expect(paidUrls.challengeFor(`https://site.test/${maxPaidUrls}`, 'HEAD')).toBeUndefined()
  })

  test('a page that aborts while Drip pays gets its AbortError, as from a native fetch', async () => {
    const { fetch } = server([402])
    const controller = new AbortController()
    const handOver: HandOver = (_request, signal) => new Promise((_resolve, reject) => signal!.addEventListener('abort', () => reject(signal!.reason)))
    const pending = wrapFetch(fetch, handOver)('https://site.test/a', { signal: controller.signal })
    setTimeout(() => controller.abort(), 5)
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
  })
})

/** A window stand-in: postMessage dispatches to its own listeners, marking itself as the source and passing ports. */
function fakeWindow(origin = 'https://site.test') {
  const target = new EventTarget() as EventTarget & { postMessage: (data: unknown, origin: string, ports?: MessagePort[]) => void; location: { origin: string } }
  target.location = { origin }
  target.postMessage = (data, _origin, ports = []) => queueMicrotask(() => target.dispatchEvent(Object.assign(new Event('message'), { data, source: target, ports })))
  return target as unknown as Window
}

/** The background's end of one runtime port, scripted by the test. */
function backgroundPort() {
  const commands: RequestCommand[] = []
  const onMessage: ((report: RequestReport) => void)[] = []
  const onDisconnect: (() => void)[] = []
  const state = { disconnected: false }
  const port = {
    postMessage: (command: RequestCommand) => void commands.push(command),
    disconnect: () => void (state.disconnected = true),
    onMessage: { addListener: (listener: (report: RequestReport) => void) => void onMessage.push(listener) },
    onDisconnect: { addListener: (listener: () => void) => void onDisconnect.push(listener) },
  } as unknown as Browser.runtime.Port
  return {
    port,
    commands,
    state,
    report: (report: RequestReport) => onMessage.forEach((listener) => listener(report)),
    /** The background goes (Chrome ended the worker): the port's disconnect listeners run. */
    drop: () => onDisconnect.forEach((listener) => listener()),
  }
}

/** A body's bytes, as the background posts them. */
const utf8 = (text: string) => new TextEncoder().encode(text)
const paidRequest: PaidRequest = { url: 'https://site.test/poem', method: 'GET', headers: [['accept', 'text/event-stream']], body: null, credentials: 'include', wwwAuthenticate: 'Payment id="1", intent="session"' }
/** Messages cross MessagePorts as tasks: wait for the state they lead to, never for a fixed time. */
const eventually = (assertion: () => void) => vi.waitFor(assertion, { timeout: 5_000, interval: 5 })

describe('hand-over between the page world and the content script', () => {
  test('the request reaches the background; the head, the streamed body and the end come back as a Response', async () => {
    const window = fakeWindow()
    const background = backgroundPort()
    relayRequests(window, () => background.port)
    const responding = createHandOver(window)(paidRequest)
    await eventually(() => expect(background.commands).toEqual([{ type: 'start', request: paidRequest }]))
    background.report({ type: 'head', status: 200, statusText: 'OK', headers: [['content-type', 'text/event-stream']], url: 'https://site.test/poem' })
    const response = (await responding)!
    expect(response.status).toBe(200)
    expect(response.url).toBe('https://site.test/poem')
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    background.report({ type: 'body', bytes: utf8('data: one\n\n') })
    background.report({ type: 'body', bytes: utf8('data: two\n\n') })
    background.report({ type: 'end' })
    expect(await response.text()).toBe('data: one\n\ndata: two\n\n')
    await eventually(() => expect(background.state.disconnected).toBe(true))
  })

  test('unpaid: the page is told nothing was paid, and the reader is told why (the background’s words, for the in-page notice)', async () => {
    const window = fakeWindow()
    const background = backgroundPort()
    const told = vi.fn()
    relayRequests(window, () => background.port, { ...silentNotices, unpaid: told })
    const responding = createHandOver(window)(paidRequest)
    await eventually(() => expect(background.commands).toHaveLength(1))
    background.report({ type: 'unpaid', outcome: 'pending', message: 'approve me' })
    expect(await responding).toBeUndefined()
    expect(told).toHaveBeenCalledExactlyOnceWith('approve me', 'pending')
  })

  test('waiting for approval: the page only waits (it never sees the report), the reader is told, and the notice goes when the answer comes', async () => {
    const window = fakeWindow()
    const background = backgroundPort()
    const notices = { unpaid: vi.fn(), waiting: vi.fn(), carriedOn: vi.fn() }
    relayRequests(window, () => background.port, notices)
    let settled = false
    const responding = createHandOver(window)(paidRequest).finally(() => (settled = true))
    await eventually(() => expect(background.commands).toHaveLength(1))
    background.report({ type: 'waiting', message: 'Waiting for your approval in Drip.' })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(settled).toBe(false)
    expect(notices.waiting).toHaveBeenCalledExactlyOnceWith('Waiting for your approval in Drip.')
    background.report({ type: 'head', status: 200, statusText: 'OK', headers: [], url: paidRequest.url })
    background.report({ type: 'body', bytes: utf8('paid') })
    background.report({ type: 'end' })
    expect(await (await responding)!.text()).toBe('paid')
    expect(notices.carriedOn).toHaveBeenCalledExactlyOnceWith('Waiting for your approval in Drip.')
    expect(notices.unpaid).not.toHaveBeenCalled()
  })

  test('a small answer in one message: the page reads it whole, the background hears it was received, and the ports close', async () => {
    const window = fakeWindow()
    const background = backgroundPort()
    const notices = { unpaid: vi.fn(), waiting: vi.fn(), carriedOn: vi.fn() }
    relayRequests(window, () => background.port, notices)
    const responding = createHandOver(window)(paidRequest)
    await eventually(() => expect(background.commands).toHaveLength(1))
    background.report({ type: 'waiting', message: 'Waiting for your approval in Drip.' })
    background.report({ type: 'whole', status: 201, statusText: 'Created', headers: [['content-type', 'application/json']], url: paidRequest.url, bytes: utf8('{"paid":true}') })
    // The content script runs on the page's thread: in the answer's own task it only posts it to the page, and the
    // rest waits for a later task, so the page's message is not held behind it.
    expect([background.commands.at(-1)?.type, background.state.disconnected]).toEqual(['start', false])
    const response = (await responding)!
    expect([response.status, response.statusText, response.headers.get('content-type'), response.url]).toEqual([201, 'Created', 'application/json', paidRequest.url])
    expect(await response.json()).toEqual({ paid: true })
    expect(notices.carriedOn).toHaveBeenCalledExactlyOnceWith('Waiting for your approval in Drip.')
    await eventually(() => expect(background.commands.at(-1)).toEqual({ type: 'received' }))
    await eventually(() => expect(background.state.disconnected).toBe(true))
  })

  test('a small answer whose status has no body (204) gives the page a null body', async () => {
    const window = fakeWindow()
    const background = backgroundPort()
    relayRequests(window, () => background.port)
    const responding = createHandOver(window)(paidRequest)
    await eventually(() => expect(background.commands).toHaveLength(1))
    background.report({ type: 'whole', status: 204, statusText: 'No Content', headers: [], url: paidRequest.url, bytes: utf8('') })
    const response = (await responding)!
    expect([response.status, response.body]).toEqual([204, null])
  })

  test('the page aborting mid-body disconnects the background port at once, and the body read fails', async () => {
    const window = fakeWindow()
    const background = backgroundPort()
    relayRequests(window, () => background.port)
    const controller = new AbortController()
    const responding = createHandOver(window)(paidRequest, controller.signal)
    await eventually(() => expect(background.commands).toHaveLength(1))
    background.report({ type: 'head', status: 200, statusText: 'OK', headers: [], url: paidRequest.url })
    const response = (await responding)!
    const reading = response.text()
    controller.abort()
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' })
    await eventually(() => expect(background.state.disconnected).toBe(true))
  })

  test('a hand-over from another window, without a port, or malformed, never reaches the background', async () => {
    const window = fakeWindow()
    const connect = vi.fn(() => backgroundPort().port)
    relayRequests(window, connect)
    const { port2 } = new MessageChannel()
    const send = (data: unknown, source: unknown, ports: MessagePort[]) => window.dispatchEvent(Object.assign(new Event('message'), { data, source, ports }))
    send({ drip: 'drip:paid-request', command: { type: 'start', request: paidRequest } }, {}, [port2])
    send({ drip: 'drip:paid-request', command: { type: 'start', request: paidRequest } }, window, [])
    send({ drip: 'drip:paid-request', command: { type: 'start', request: { ...paidRequest, headers: 'x' } } }, window, [new MessageChannel().port2])
    // A well-formed hand-over last: once it reached the background, the three before it had their turn.
    send({ drip: 'drip:paid-request', command: { type: 'start', request: paidRequest } }, window, [new MessageChannel().port2])
    await eventually(() => expect(connect).toHaveBeenCalled())
    expect(connect).toHaveBeenCalledTimes(1)
  })
})

describe('the port opened ahead for a paying page', () => {
  const photoRequest: PaidRequest = { ...paidRequest, url: 'https://site.test/photo', headers: [] }
  const whole = { type: 'whole', status: 200, statusText: 'OK', headers: [], url: photoRequest.url, bytes: utf8('{}') } satisfies RequestReport

  /** A relay whose every `connect` opens a new scripted background port. */
  function relayWithPorts() {
    const window = fakeWindow()
    const opened: ReturnType<typeof backgroundPort>[] = []
    const connect = vi.fn(() => opened[opened.push(backgroundPort()) - 1]!.port)
    relayRequests(window, connect)
    return { window, opened, connect }
  }

  /** Such a relay after Drip answered the page's first request: its spare port waits. */
  async function relayAfterOneAnswer() {
    const relay = relayWithPorts()
    const first = createHandOver(relay.window)(photoRequest)
    await eventually(() => expect(relay.opened[0]?.commands).toHaveLength(1))
    relay.opened[0]!.report(whole)
    await first
    await eventually(() => expect(relay.opened).toHaveLength(2))
    return relay
  }

  test('after a paid answer the next request goes on the port opened ahead, and opens the one after it; a request never answered opens none', async () => {
    const { window, opened } = relayWithPorts()
    const refused = createHandOver(window)(photoRequest)
    await eventually(() => expect(opened[0]?.commands).toHaveLength(1))
    opened[0]!.report({ type: 'unpaid', outcome: 'pending', message: 'approve me' })
    expect(await refused).toBeUndefined()
    expect(opened).toHaveLength(1)
    const first = createHandOver(window)(photoRequest)
    await eventually(() => expect(opened[1]?.commands).toHaveLength(1))
    opened[1]!.report(whole)
    expect((await first)!.status).toBe(200)
    // Opened once the answer reached the page, before the page asks again: it waits with nothing sent on it.
    await eventually(() => expect(opened).toHaveLength(3))
    expect(opened[2]!.commands).toEqual([])
    const second = createHandOver(window)(photoRequest)
    await eventually(() => expect(opened[2]!.commands).toEqual([{ type: 'start', request: photoRequest }]))
    // The next one opens while the site answers this one.
    await eventually(() => expect(opened).toHaveLength(4))
    opened[2]!.report(whole)
    expect((await second)!.status).toBe(200)
    expect(opened).toHaveLength(4)
    expect(opened[3]!.commands).toEqual([])
  })

  test('a spare gone with the worker is dropped and not reopened; a request that finds it gone asks on a new port and keeps its one retry', async () => {
    const { window, opened } = await relayAfterOneAnswer()
    // Chrome ends the worker while the spare waits: nothing is opened until the page asks.
    opened[1]!.drop()
    expect(opened).toHaveLength(2)
    const second = createHandOver(window)(photoRequest)
    await eventually(() => expect(opened[2]?.commands).toEqual([{ type: 'start', request: photoRequest }]))
    expect(opened[1]!.commands).toEqual([])
    await eventually(() => expect(opened).toHaveLength(4))
    opened[2]!.report(whole)
    await second
    // The worker goes after taking the request on the spare: a new port, the request marked as asked again…
    const third = createHandOver(window)(photoRequest)
    await eventually(() => expect(opened[3]!.commands).toHaveLength(1))
    await eventually(() => expect(opened).toHaveLength(5))
    // The worker ends: the port opened ahead of the next request goes too.
    opened[4]!.drop()
    opened[3]!.drop()
    await eventually(() => expect(opened[5]?.commands).toEqual([{ type: 'start', request: photoRequest, retry: true }]))
    // …and it still has its retry should that worker go too; then the page keeps the site's answer.
    opened[5]!.drop()
    await eventually(() => expect(opened[6]?.commands).toEqual([{ type: 'start', request: photoRequest, retry: true }]))
    opened[6]!.drop()
    await expect(third).resolves.toBeUndefined()
    expect(opened).toHaveLength(7)
  })

  test('a background that drops every port at once: the request stops after three ports', async () => {
    const { window, opened } = await relayAfterOneAnswer()
    const dropping = createHandOver(window)(photoRequest)
    for (let attempt = 1; attempt <= 3; attempt++) {
      await eventually(() => expect(opened.filter((port) => port.commands.length > 0)).toHaveLength(attempt + 1))
      opened.filter((port) => port.commands.length > 0).at(-1)!.drop()
    }
    await expect(dropping).resolves.toBeUndefined()
    expect(opened.filter((port) => port.commands.length > 0)).toHaveLength(4)
  })
})
