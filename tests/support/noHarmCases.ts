/**
 * What a page that never pays does with the browser's own objects, one case
 * each, as page-world source (run with `page.evaluate`, so nothing is
 * compiled in between). Each resolves to plain JSON: what the page saw. The
 * no-harm suite runs them with and without Drip and compares that and the
 * server's request log.
 */
/** Loads a script the way a page's own `<script>` tag does. */
const load = `const load = (src) => new Promise((resolve, reject) => { const s = document.createElement('script'); s.src = src; s.onload = resolve; s.onerror = reject; document.head.append(s) })`

/** A case that ends by navigating returns `{ navigatesTo: path }`; the runner then waits for that page and records what it shows. */
export type Navigation = { navigatesTo: string }

export const noHarmCases: Record<string, string> = {
  'fetch: a JSON GET, as the page reads it': `
    const r = await fetch('/json')
    return { status: r.status, ok: r.ok, type: r.type, url: r.url, redirected: r.redirected, contentType: r.headers.get('content-type'), body: await r.json() }`,
  'fetch: a 404': `
    const r = await fetch('/missing')
    return { status: r.status, ok: r.ok, body: await r.text() }`,
  'fetch: a POST with a body': `
    const r = await fetch('/beacon', { method: 'POST', body: 'x=1', headers: { 'content-type': 'text/plain' } })
    return { status: r.status }`,
  'XMLHttpRequest: load events, their target and order': `
    const seen = []
    const x = new XMLHttpRequest()
    x.addEventListener('load', (e) => seen.push(['listener', e.target === x, e.currentTarget === x]))
    x.onload = (e) => seen.push(['onload', e.target === x, e.target && e.target.readyState])
    x.addEventListener('load', (e) => seen.push(['later listener', e.target === x]))
    await new Promise((resolve) => { x.onloadend = resolve; x.open('GET', '/json'); x.send() })
    return { seen, status: x.status, readyState: x.readyState, response: x.responseText, responseURL: x.responseURL, headers: x.getResponseHeader('content-type') }`,
  'XMLHttpRequest: a 404 with responseType json': `
    const x = new XMLHttpRequest()
    x.responseType = 'json'
    await new Promise((resolve) => { x.onloadend = resolve; x.open('GET', '/missing'); x.send() })
    return { status: x.status, response: x.response, statusText: x.statusText }`,
  'axios, with its XMLHttpRequest and its fetch adapter: a JSON GET and a 404': `${load}
    await load('/axios.js')
    const results = []
    for (const adapter of ['xhr', 'fetch']) {
      const ok = await axios.get('/json', { adapter })
      const missing = await axios.get('/missing', { adapter }).catch((error) => error.response)
      results.push([adapter, ok.status, ok.data, ok.headers['content-type'], missing.status, missing.data])
    }
    return results`,
  'EventSource: three messages, then the page closes it': `
    const seen = []
    const es = new EventSource('/sse')
    await new Promise((resolve) => {
      es.onopen = (e) => seen.push(['open', e.target === es, es.readyState])
      es.onmessage = (e) => { seen.push(['message', e.data, e.target === es, e.origin === location.origin]); if (seen.length === 4) { es.close(); resolve() } }
    })
    return { seen, readyState: es.readyState, url: es.url, withCredentials: es.withCredentials }`,
  'EventSource: a 404 and a wrong content type each fail once, as the browser reports them': `
    const failures = []
    for (const url of ['/missing', '/json']) {
      const es = new EventSource(url)
      failures.push(await new Promise((resolve) => (es.onerror = (e) => resolve([url, e.target === es, es.readyState]))))
      es.close()
    }
    await fetch('/json?after')
    return failures`,
  'WebSocket: a same-origin echo, its handshake and events': `
    const seen = []
    const ws = new WebSocket('/echo'.replace(/^/, location.origin.replace(/^http/, 'ws')))
    await new Promise((resolve) => {
      ws.onopen = (e) => { seen.push(['open', e.target === ws, ws.readyState]); ws.send('hello') }
      ws.onmessage = (e) => { seen.push(['message', e.data, e.target === ws]); ws.close(1000, 'done') }
      ws.onclose = (e) => { seen.push(['close', e.code, e.reason, e.wasClean, e.target === ws]); resolve() }
    })
    return { seen, readyState: ws.readyState, protocol: ws.protocol, binaryType: ws.binaryType }`,
  'WebSocket: another origin’s echo (localhost)': `
    const seen = []
    const ws = new WebSocket(location.origin.replace(/^http/, 'ws').replace('127.0.0.1', 'localhost') + '/echo')
    await new Promise((resolve) => {
      ws.onopen = () => { seen.push('open'); ws.send('hi') }
      ws.onmessage = (e) => { seen.push(e.data); ws.close() }
      ws.onclose = (e) => { seen.push(['close', e.code]); resolve() }
    })
    return { seen }`,
  'fetch, XMLHttpRequest, EventSource and WebSocket: names, tags, prototypes, fetch on another this': `
    const x = new XMLHttpRequest()
    let illegal = 'no error'
    try { fetch.call({}, '/json') } catch (error) { illegal = error.name }
    return {
      fetch: { name: fetch.name, length: fetch.length, text: fetch.toString(), illegal },
      xhr: { name: XMLHttpRequest.name, tag: Object.prototype.toString.call(x), eventTarget: x instanceof XMLHttpRequestEventTarget, ownKeys: Object.keys(x), onload: 'onload' in x && !Object.prototype.hasOwnProperty.call(x, 'onload') },
      eventSource: { name: EventSource.name, tag: Object.prototype.toString.call(Object.create(EventSource.prototype)) },
      webSocket: { name: WebSocket.name, tag: Object.prototype.toString.call(Object.create(WebSocket.prototype)) },
    }`,
  'the shape code walks: prototype chains, own keys in order with their flags, each method’s name, length and call on another object, for…in, a call without new, a page’s subclass': `
    const chain = (o) => { const names = []; for (let p = Object.getPrototypeOf(o); p; p = Object.getPrototypeOf(p)) names.push(typeof p === 'function' ? p.name : Object.prototype.toString.call(p)); return names }
    const caught = (run) => { try { run(); return 'no error' } catch (e) { return [e.name, e.message] } }
    // Each function's own keys, name and length, and what it does called on a plain object (the browser: "Illegal invocation").
    // Keys first: Firefox makes a browser function's name and length when first read, so their order follows what the page read first.
    const fn = (f) => { if (typeof f !== 'function') return typeof f; const own = Reflect.ownKeys(f).map(String); return [own, f.name, f.length, caught(() => f.call({}))] }
    const keys = (o) => Reflect.ownKeys(o).map((key) => { const d = Object.getOwnPropertyDescriptor(o, key); return [String(key), d.enumerable, d.configurable, 'value' in d ? [d.writable, key === 'constructor' ? typeof d.value : fn(d.value)] : [fn(d.get), fn(d.set)]] })
    const shape = (C, instance) => {
      const forIn = []
      for (const key in instance) forIn.push(key)
      class Page extends C {}
      const own = caught(() => new Page(...(C === XMLHttpRequest ? [] : ['ws://localhost:1/x'])).close?.())
      return {
        constructorChain: chain(C), prototypeChain: chain(C.prototype), instanceChain: chain(instance),
        linked: [Object.getPrototypeOf(instance) === C.prototype, C.prototype.constructor === C, instance.constructor === C],
        constructorKeys: keys(C), prototypeKeys: keys(C.prototype), forIn,
        calledWithoutNew: caught(() => C('ws://localhost:1/x')), pageSubclass: [own, Object.getPrototypeOf(Page) === C, Object.getPrototypeOf(Page.prototype) === C.prototype],
      }
    }
    const socket = new WebSocket('ws://localhost:1/x')
    const es = new EventSource('http://localhost:1/x')
    const result = { xhr: shape(XMLHttpRequest, new XMLHttpRequest()), webSocket: shape(WebSocket, socket), eventSource: shape(EventSource, es) }
    socket.close()
    es.close()
    return result`,
  'the source text the page reads of fetch, XMLHttpRequest, WebSocket, EventSource and their methods and accessors': `
    const text = (f) => { try { return Function.prototype.toString.call(f) } catch (error) { return error.name } }
    const parts = (C) => [C.toString(), text(C), ...Object.getOwnPropertyNames(C.prototype).sort().map((key) => {
      const d = Object.getOwnPropertyDescriptor(C.prototype, key)
      return [key, typeof d.value === 'function' ? [text(d.value), d.value.toString()] : null, d.get ? text(d.get) : null, d.set ? text(d.set) : null]
    })]
    return { fetch: [fetch.toString(), text(fetch)], xhr: parts(XMLHttpRequest), webSocket: parts(WebSocket), eventSource: parts(EventSource), toString: [text(Function.prototype.toString), Function.prototype.toString.name, Function.prototype.toString.length, text.call(null, {})] }`,
  'WebSocket: close() while connecting, and subprotocols the browser refuses': `
    const seen = []
    const ws = new WebSocket('ws://localhost:1/echo')
    ws.onerror = () => seen.push('error')
    ws.close()
    seen.push(['readyState', ws.readyState])
    await new Promise((resolve) => { ws.onclose = (e) => { seen.push(['close', e.code, e.wasClean]); resolve() } })
    const refused = []
    for (const protocols of [['a', 'a'], 'a b']) { try { new WebSocket('ws://localhost:1/x', protocols); refused.push('none') } catch (error) { refused.push(error.name) } }
    return { seen, refused }`,
  'a broken image leaves no mark, on it or in the page': `
    const img = document.createElement('img')
    img.src = '/missing.png'
    document.body.append(img)
    await new Promise((resolve) => img.addEventListener('error', resolve, { once: true }))
    // Long enough for an answer from a worker that had to start and load its payment code.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    return { attributes: [...img.attributes].map((a) => a.name), complete: img.complete, width: img.naturalWidth, root: [...document.documentElement.children].map((e) => e.localName) }`,
  'the page’s root element carries no mark': `
    await new Promise((resolve) => setTimeout(resolve, 300))
    return { attributes: [...document.documentElement.attributes].map((a) => a.name) }`,
  'the page hears no window message it did not post': `
    await new Promise((resolve) => setTimeout(resolve, 300))
    postMessage('the page itself', location.origin)
    await new Promise((resolve) => setTimeout(resolve, 50))
    return { heard: window.heardMessages }`,
  'the page’s window has the browser’s own globals, with their own property flags': `
    const flags = (name) => { const d = Object.getOwnPropertyDescriptor(window, name); return d && [d.writable, d.enumerable, d.configurable, typeof d.value] }
    return { names: Object.getOwnPropertyNames(window).sort(), flags: ['fetch', 'XMLHttpRequest', 'EventSource', 'WebSocket', 'Request', 'Response'].map(flags) }`,
  'errors the page catches, and their stacks: a failed fetch and XMLHttpRequest, bad arguments to fetch, XMLHttpRequest, WebSocket and EventSource': `
    const closed = 'http://127.0.0.1:9/refused'
    const caught = (e) => ({ name: e.name, message: e.message, stack: e.stack })
    const fetched = await fetch(closed).then(() => null, caught)
    let thrown = {}
    // The sockets a refused call leaves connecting are waited for and closed, so the server hears both every time.
    const echo = location.origin.replace('http', 'ws') + '/echo'
    const settled = []
    const socket = () => { const s = new WebSocket(echo); settled.push(new Promise((resolve) => { s.onopen = () => s.close(); s.onclose = resolve })); return s }
    for (const [what, run] of Object.entries({ fetchBadUrl: () => fetch('http://a b/'), fetchOtherThis: () => fetch.call({}, '/json'), socketBadUrl: () => new WebSocket('http://[x'), socketTwiceTheSameProtocol: () => new WebSocket(echo, ['a', 'a']), xhrBadMethod: () => new XMLHttpRequest().open('GET x', '/json'), xhrBadUrl: () => new XMLHttpRequest().open('GET', 'http://[x'), xhrHeaderBeforeOpen: () => new XMLHttpRequest().setRequestHeader('a', 'b'), xhrTextOfJson: () => { const x = new XMLHttpRequest(); x.responseType = 'json'; return x.responseText }, xhrXmlOfText: () => { const x = new XMLHttpRequest(); x.responseType = 'text'; return x.responseXML }, socketSendWhileConnecting: () => socket().send('x'), socketCloseBadCode: () => socket().close(1), eventSourceBadUrl: () => new EventSource('http://[x') })) {
      try { await run(); thrown[what] = 'no error' } catch (e) { thrown[what] = caught(e) }
    }
    await Promise.all(settled)
    const x = new XMLHttpRequest()
    const xhr = await new Promise((resolve) => { x.onerror = (e) => resolve({ type: e.type, status: x.status, readyState: x.readyState }); x.open('GET', closed); x.send() })
    return { fetched, thrown, xhr }`,
  'the page’s window reports no error or unhandled rejection the page did not cause: failed EventSource, sockets, fetch, XMLHttpRequest and image': `
    // The page's own, from a script of its own, so the record is known to hear one.
    const own = document.createElement('script')
    own.textContent = "setTimeout(() => { throw new Error('the page’s own error') })"
    document.head.append(own)
    const echo = location.origin.replace('http', 'ws')
    const es = new EventSource('/missing')
    await new Promise((resolve) => (es.onerror = resolve))
    es.close()
    const refused = new WebSocket(echo + '/refused')
    await new Promise((resolve) => (refused.onclose = resolve))
    const echoed = new WebSocket(echo + '/echo')
    await new Promise((resolve) => { echoed.onopen = () => echoed.close(); echoed.onclose = resolve })
    await fetch('/missing').then((r) => r.text())
    await fetch('http://127.0.0.1:9/refused').catch(() => null)
    await new Promise((resolve) => { const x = new XMLHttpRequest(); x.onloadend = resolve; x.open('GET', '/missing'); x.send() })
    const img = document.createElement('img')
    img.src = '/missing.png'
    document.body.append(img)
    await new Promise((resolve) => img.addEventListener('error', resolve, { once: true }))
    await new Promise((resolve) => setTimeout(resolve, 500))
    const heard = window.heardErrors.filter(([type, , atWindow]) => type !== 'error' || atWindow).map(([type, what]) => [type, what.split('\\n')[0]])
    if (!heard.some(([, what]) => what.includes('the page’s own error'))) throw new Error('The page’s record did not hear its own error.')
    return { heard }`,
  'sendBeacon': `
    const queued = navigator.sendBeacon('/beacon', 'bye')
    // The page cannot await a beacon: the site says once it has it, so the request log is whole when the case ends.
    const heard = (await fetch('/logged?request=' + encodeURIComponent('POST /beacon'))).status
    if (heard !== 204) throw new Error('The site did not hear the beacon.')
    return { queued }`,
  'events the browser dispatches stay trusted: XMLHttpRequest, EventSource, WebSocket': `
    const seen = {}
    const x = new XMLHttpRequest()
    await new Promise((resolve) => { x.onload = (e) => { seen.xhrLoad = [e.isTrusted, e.constructor.name]; resolve() }; x.open('GET', '/json'); x.send() })
    const es = new EventSource('/sse')
    await new Promise((resolve) => { es.onopen = (e) => (seen.eventSourceOpen = e.isTrusted); es.onmessage = (e) => { seen.eventSourceMessage = [e.isTrusted, e.constructor.name]; es.close(); resolve() } })
    const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/echo')
    await new Promise((resolve) => {
      ws.onopen = (e) => { seen.socketOpen = e.isTrusted; ws.send('x') }
      ws.onmessage = (e) => { seen.socketMessage = [e.isTrusted, e.constructor.name]; ws.close() }
      ws.onclose = (e) => { seen.socketClose = [e.isTrusted, e.constructor.name]; resolve() }
    })
    return seen`,
  'jQuery: $.getJSON, a POST and a 404': `${load}
    await load('/jquery.js')
    const json = await $.getJSON('/json')
    const posted = await new Promise((resolve) => $.ajax({ url: '/beacon', method: 'POST', data: { a: 1 }, complete: (xhr, status) => resolve([xhr.status, status]) }))
    const missing = await new Promise((resolve) => $.ajax({ url: '/missing', error: (xhr, status, error) => resolve([xhr.status, status, error, xhr.responseText]) }))
    return { json, posted, missing }`,
  'socket.io over WebSocket: connect, an acknowledged echo, disconnect': `${load}
    await load('/socket.io/socket.io.js')
    const socket = io({ transports: ['websocket'] })
    const seen = []
    await new Promise((resolve) => socket.on('connect', () => { seen.push(['connect', socket.connected, socket.io.engine.transport.name]); resolve() }))
    seen.push(['echo', await socket.emitWithAck('echo', 'hello')])
    socket.disconnect()
    seen.push(['disconnected', socket.connected])
    return seen`,
  'zone.js (Angular): each callback runs in the zone the browser gives it': `${load}
    await load('/zone.js')
    const app = Zone.current.fork({ name: 'app' })
    const seen = []
    // One after another, so the server sees the same order every run.
    const step = (name, start) => new Promise((resolve) => app.run(() => start((label) => { seen.push([name, label ?? '', Zone.current.name]); resolve() })))
    await step('xhr load', (done) => { const x = new XMLHttpRequest(); x.onload = () => done(); x.open('GET', '/json'); x.send() })
    await step('fetch', (done) => fetch('/json').then(() => done()))
    await step('eventsource message', (done) => { const es = new EventSource('/sse'); es.onmessage = (e) => { es.close(); done(e.data) } })
    await step('websocket', (done) => {
      const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/echo')
      ws.onopen = () => { seen.push(['websocket open', '', Zone.current.name]); ws.close() }
      ws.onclose = () => done('closed')
    })
    return seen`,
  'Sentry: its fetch and XMLHttpRequest breadcrumbs, and the event it sends': `${load}
    await load('/sentry.js')
    const crumbs = []
    Sentry.init({
      dsn: location.origin.replace('//', '//key@') + '/1',
      defaultIntegrations: false,
      integrations: [Sentry.breadcrumbsIntegration()],
      beforeBreadcrumb: (crumb) => { if (crumb.category === 'fetch' || crumb.category === 'xhr') crumbs.push([crumb.category, crumb.data.method, crumb.data.url, crumb.data.status_code]); return crumb },
    })
    await fetch('/json')
    await fetch('/missing')
    await new Promise((resolve) => { const x = new XMLHttpRequest(); x.onloadend = resolve; x.open('GET', '/json'); x.send() })
    Sentry.captureMessage('hello')
    const flushed = await Sentry.flush(5000)
    return { crumbs, flushed }`,
  'a socket the page’s first script opens, before Drip could tell the page anything: its events, echo and close': `
    setTimeout(() => (location.href = '/early-socket'), 0)
    return { navigatesTo: '/early-socket' }`,
  'a form posts and the page navigates to its answer': `
    const form = document.createElement('form')
    form.method = 'POST'
    form.action = '/submit'
    const input = document.createElement('input')
    input.name = 'word'
    input.value = 'hello'
    form.append(input)
    document.body.append(form)
    setTimeout(() => form.submit(), 0)
    return { navigatesTo: '/thanks' }`,
}
