/**
 * Demo pages written the way a site writes them from the MPP/Tempo guides:
 * their own `EventSource`, streaming `fetch`, axios and a one-shot "buy"
 * button, no Drip markup.
 * Drip pays them because it wraps what the page already calls.
 * Each page reports its progress in `data-*` attributes for the tests.
 */
import { poem } from './content'
import { escape, galleryPage, layout } from './pages'

/** The seeds' poem through the page's own `new EventSource(...)`. */
export function poemWithEventSource(): string {
  return layout(
    `${poem.title} (EventSource)`,
    `<h1 id="title">${escape(poem.title)}</h1>
<p class="note">This page reads <code>/api/sessions/poem</code> with its own <code>new EventSource()</code>.</p>
<p id="status" role="status" aria-live="polite">Connecting…</p>
<article id="text" data-words="0" data-state="connecting"></article>
<script>
  const text = document.getElementById('text')
  const status = document.getElementById('status')
  const source = new EventSource('/api/sessions/poem')
  let first = true
  source.onmessage = (event) => {
    if (first) {
      first = false
      try {
        const header = JSON.parse(event.data)
        document.getElementById('title').textContent = header.title + ' — ' + header.author
        return
      } catch {}
    }
    text.append(event.data === '\\n' ? document.createElement('br') : document.createTextNode(event.data + ' '))
    text.dataset.words = String(Number(text.dataset.words) + 1)
    text.dataset.state = 'streaming'
    status.textContent = text.dataset.words + ' words'
  }
  source.onerror = () => {
    if (source.readyState !== EventSource.CLOSED) return
    const words = Number(text.dataset.words)
    text.dataset.state = words ? 'complete' : 'unpaid'
    status.textContent = words ? 'The end (' + words + ' words).' : '402 — this poem needs an MPP wallet (Drip)'
  }
</script>`,
  )
}

/** A paid stream (an article, or the poem) read with the page's own streaming `fetch` and `response.body.getReader()`. */
export function withStreamingFetch(title: string, streamPath: string): string {
  return layout(
    `${title} (fetch)`,
    `<h1>${escape(title)}</h1>
<p class="note">This page reads <code>${escape(streamPath)}</code> with its own streaming <code>fetch</code>.</p>
<p id="status" role="status" aria-live="polite">Loading…</p>
<article id="text" data-words="0" data-state="connecting"></article>
<script type="module">
  const text = document.getElementById('text')
  const status = document.getElementById('status')
  // As sites measure their readers' waits: when the page asked for its text.
  performance.mark('text-requested')
  const response = await fetch(${JSON.stringify(streamPath).replace(/</g, '\\u003c')})
  if (response.status === 402) {
    text.dataset.state = 'unpaid'
    status.textContent = '402 — this article needs an MPP wallet (Drip)'
  } else {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
    let buffer = ''
    let first = true
    const onData = (data) => {
      if (first) {
        first = false
        if (data.startsWith('{')) return
      }
      text.append(data === '\\n' ? document.createElement('br') : document.createTextNode(data + ' '))
      text.dataset.words = String(Number(text.dataset.words) + 1)
      status.textContent = text.dataset.words + ' words'
    }
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        buffer += value
        let end
        while ((end = buffer.indexOf('\\n\\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const lines = block.split('\\n')
          if (lines.some((line) => line.startsWith('event:'))) text.dataset.sawNamedEvent = 'true'
          const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
          if (data.length) onData(data.join('\\n'))
        }
      }
      text.dataset.state = 'complete'
      status.textContent = 'The end (' + text.dataset.words + ' words).'
    } catch (error) {
      text.dataset.state = 'broken'
      status.textContent = 'The stream broke off: ' + error.message
    }
  }
</script>`,
  )
}

/** A gallery whose button calls `axios.get(...)` (axios' XMLHttpRequest adapter). */
export function galleryWithAxios(): string {
  return galleryPage({
    title: 'Gallery (axios)',
    intro: `<p class="note">Each photo costs $0.01. This page uses <code>axios.get('/api/sessions/photo')</code>, which runs on <code>XMLHttpRequest</code>.</p>`,
    scripts: '<script src="/vendor/axios.min.js"></script>',
    loadPhoto: `async () => {
    try {
      return (await axios.get('/api/sessions/photo')).data.url
    } catch (error) {
      if (error.response?.status === 402) return null
      throw error
    }
  }`,
  })
}

/** A gallery whose photos come from another site's paid API (the demo's other host name), over CORS. */
export function galleryOfAnotherSite(): string {
  return galleryPage({
    title: 'Gallery (another site’s API)',
    intro: `<p class="note">Each photo costs $0.01, paid to the photo API on the demo's other host name (<code>localhost</code> or <code>127.0.0.1</code>, another origin). Its CORS lets this page read the photos, but not the payment headers.</p>`,
    loadPhoto: `async () => {
    const api = location.protocol + '//' + (location.hostname === 'localhost' ? '127.0.0.1' : 'localhost') + ':' + location.port
    const response = await fetch(api + '/api/cross/photo')
    if (response.status === 402) return null
    if (!response.ok) throw new Error('HTTP ' + response.status)
    return (await response.json()).url
  }`,
  })
}

/** Paid media as plain markup: `<img>` and `<audio>` pointing straight at URLs that answer 402. */
export function paidMedia(): string {
  return layout(
    'Paid media',
    `<h1>Paid media</h1>
<p class="note">Plain <code>&lt;img src&gt;</code> and <code>&lt;audio src&gt;</code> at URLs that answer 402: $0.01 per image, $0.05 for the clip.</p>
<div id="photos">
  ${[1, 2, 3, 4].map((id) => `<img src="/api/sessions/image/${id}.svg" alt="Paid photo ${id}" width="180" height="180">`).join('\n  ')}
</div>
<p><audio id="clip" controls src="/api/sessions/clip.wav" aria-label="A paid one-second tone"></audio></p>`,
  )
}

/** "Buy this article": one POST to a route paid with a one-shot charge (mppx `tempo.charge`), then the whole text. */
export function buyArticle(slug: string, title: string): string {
  const api = JSON.stringify(`/api/charge/article/${slug}`).replace(/</g, '\\u003c')
  return layout(
    `Buy: ${title}`,
    `<h1>${escape(title)}</h1>
<p class="note">One payment of $0.05 buys the whole article, to keep: this page POSTs to <code>/api/charge/article/${escape(slug)}</code>, which answers with a one-time <code>charge</code> challenge.</p>
<p><button type="button" id="buy">Buy this article for $0.05</button></p>
<p id="status" role="status" aria-live="polite"></p>
<article id="text" data-state="idle"></article>
<script type="module">
  const text = document.getElementById('text')
  const status = document.getElementById('status')
  document.getElementById('buy').addEventListener('click', async () => {
    status.textContent = 'Buying…'
    const response = await fetch(${api}, { method: 'POST' })
    if (response.status === 402) {
      text.dataset.state = 'unpaid'
      status.textContent = '402 — buying this article needs an MPP wallet (Drip)'
      return
    }
    if (!response.ok) {
      text.dataset.state = 'failed'
      status.textContent = 'HTTP ' + response.status
      return
    }
    const article = await response.json()
    text.textContent = article.text
    text.dataset.state = 'bought'
    status.textContent = 'Bought: ' + article.title + ' by ' + article.author
  })
</script>`,
  )
}

/** A live price ticker through the page's own `new WebSocket(...)`, paid per tick (mppx WebSocket sessions). */
export function tickerWithWebSocket(ticks: number): string {
  return layout(
    'Live ticker (WebSocket)',
    `<h1>DRIP live price</h1>
<p class="note">This page opens <code>new WebSocket('/api/sessions/ticker?ticks=${ticks}')</code>: ${ticks} ticks at $0.001 each, paid in-band over the socket.</p>
<p id="status" role="status" aria-live="polite">Connecting…</p>
<p id="price" data-ticks="0" data-state="connecting" aria-label="Latest price">—</p>
<ol id="ticks" reversed></ol>
<p><button type="button" id="stop">Stop the ticker</button></p>
<script>
  const price = document.getElementById('price')
  const status = document.getElementById('status')
  const list = document.getElementById('ticks')
  const socket = new WebSocket('/api/sessions/ticker?ticks=${ticks}')
  socket.onopen = () => {
    price.dataset.state = 'open'
    status.textContent = 'Live'
  }
  socket.onmessage = (event) => {
    const tick = JSON.parse(event.data)
    price.textContent = '$' + tick.price
    price.dataset.ticks = String(Number(price.dataset.ticks) + 1)
    const item = document.createElement('li')
    item.textContent = 'Tick ' + tick.tick + ': $' + tick.price
    list.prepend(item)
    if (list.children.length > 10) list.lastElementChild.remove()
    status.textContent = price.dataset.ticks + ' ticks'
  }
  socket.onclose = (event) => {
    const ticks = Number(price.dataset.ticks)
    price.dataset.state = ticks === 0 ? 'unpaid' : event.wasClean ? 'complete' : 'broken'
    status.textContent = ticks === 0 ? 'Closed with no ticks — this ticker needs an MPP wallet (Drip)' : 'Closed after ' + ticks + ' ticks' + (event.reason ? ': ' + event.reason : '.')
  }
  document.getElementById('stop').addEventListener('click', () => socket.close())
</script>`,
  )
}
