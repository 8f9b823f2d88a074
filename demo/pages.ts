/** The demo's HTML: readable without a wallet, and marked up for Drip to fill in. */
import { type Article, articles, poem } from './content'

const style = `
  body { font: 17px/1.6 Georgia, serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
  nav a { margin-right: 1rem; }
  h1, h2, button { font-family: system-ui, sans-serif; }
  .note { font: 14px/1.4 system-ui, sans-serif; background: #f6f8fa; border-left: 4px solid #1f6feb; padding: .6rem .8rem; }
  .error { color: #cf222e; font-family: system-ui, sans-serif; }
  #photos { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: .5rem; margin-top: 1rem; }
  #photos img { width: 100%; border-radius: 6px; }
  button { font-size: 1rem; padding: .4rem 1rem; }
  code { font-size: 14px; }
`

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)} · Drip demo</title><style>${style}</style></head>
<body>
<nav><a href="/">Home</a><a href="/gallery">Gallery</a><a href="/poem">Poem</a>${articles.map((a) => `<a href="/article/${a.slug}">${escape(a.title.split(',')[0]!)}</a>`).join('')}</nav>
${body}
</body>
</html>`
}

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

export function home(): string {
  return layout(
    'Drip demo',
    `<h1>A paywalled site for Drip</h1>
<p>Everything here is paid with the Machine Payments Protocol over Tempo payment channels on the local devnet.
Approve this site once in Drip's popup and read on: no further clicks.</p>
<h2>Pages</h2>
<ul>
  <li><a href="/gallery">Photo gallery</a>: $0.01 per photo, paid by the page's own <code>fetch</code>.</li>
  <li><a href="/poem">The Road Not Taken</a>: streamed at $0.001 per word.</li>
  ${articles
    .map(
      (a) =>
        `<li><a href="/article/${a.slug}">${escape(a.title)}</a> (${a.words.length} words, $0.001 per word) · <a href="/article/${a.slug}?wps=50">paced at 50 words/s</a></li>`,
    )
    .join('\n  ')}
</ul>
<h2>Pages written the way sites write them</h2>
<p>No Drip markup: each uses what the MPP guides teach, and Drip pays it.</p>
<ul>
  <li><a href="/real/poem">The poem through <code>EventSource</code></a>, and <a href="/real/poem-fetch">through a streaming <code>fetch</code></a></li>
  ${articles.map((a) => `<li><a href="/real/article/${a.slug}">${escape(a.title)} through a streaming <code>fetch</code></a></li>`).join('\n  ')}
  <li><a href="/real/gallery">The gallery through axios</a> (<code>XMLHttpRequest</code>)</li>
  <li><a href="/real/media">Paid images and an audio clip</a> (plain <code>&lt;img&gt;</code> and <code>&lt;audio&gt;</code>)</li>
  <li><a href="/real/ticker">A live price ticker over a <code>WebSocket</code></a> ($0.001 per tick)</li>
  <li><a href="/real/buy/${articles[0]!.slug}">Buy one article with a one-time payment</a> (<code>charge</code>, $0.05)</li>
  <li><a href="/real/gallery-api">A gallery paying another site's photo API</a> (CORS, the challenge hidden from the page)</li>
</ul>
<h2>Paid endpoints</h2>
<ul>
  <li><a href="/api/sessions/photo">/api/sessions/photo</a> (JSON with a photo URL)</li>
  <li><a href="/api/sessions/poem">/api/sessions/poem</a> (server-sent events)</li>
  ${articles.map((a) => `<li><a href="/api/sessions/article/${a.slug}">/api/sessions/article/${a.slug}</a>, paced: <code>/api/sessions/article/${a.slug}/wps/50</code></li>`).join('\n  ')}
</ul>
<p>Unpaid twins for comparison: ${articles.map((a) => `<a href="/api/free/article/${a.slug}">/api/free/article/${a.slug}</a>`).join(', ')}.</p>`,
  )
}

export function gallery(): string {
  return galleryPage({
    title: 'Gallery',
    intro: `<p>Each photo costs $0.01. The button below calls <code>fetch('/api/sessions/photo')</code>; with Drip approved for this site, it just works.</p>`,
    loadPhoto: `async () => {
    const response = await fetch('/api/sessions/photo')
    if (response.status === 402) return null
    if (!response.ok) throw new Error('HTTP ' + response.status)
    return (await response.json()).url
  }`,
  })
}

/**
 * A gallery: a "Next photo" button whose script calls `loadPhoto` (the
 * page's own JavaScript: an async function that returns a photo URL, or
 * null when the site answered 402) and shows the photo. The demo's
 * galleries differ only in how they ask.
 */
export function galleryPage(options: { title: string; intro: string; loadPhoto: string; scripts?: string }): string {
  return layout(
    options.title,
    `<h1>${escape(options.title)}</h1>
${options.intro}
<button id="next" type="button">Next photo</button>
<p id="status" role="status" aria-live="polite"></p>
<div id="photos" data-count="0"></div>
${options.scripts ?? ''}
<script>
  const loadPhoto = ${options.loadPhoto}
  const button = document.getElementById('next')
  const status = document.getElementById('status')
  const photos = document.getElementById('photos')
  button.addEventListener('click', async () => {
    button.disabled = true
    status.className = ''
    status.textContent = 'Loading…'
    try {
      const url = await loadPhoto()
      if (url === null) {
        status.className = 'error'
        status.textContent = '402 — this gallery needs an MPP wallet (Drip)'
        return
      }
      const image = new Image()
      image.alt = 'Photo ' + (photos.children.length + 1)
      image.src = url
      photos.prepend(image)
      photos.dataset.count = String(photos.children.length)
      status.textContent = photos.children.length + (photos.children.length === 1 ? ' photo' : ' photos') + ' so far'
    } catch (error) {
      status.className = 'error'
      status.textContent = 'Could not load a photo: ' + error.message
    } finally {
      button.disabled = false
    }
  })
</script>`,
  )
}

function streamPage(title: string, byline: string, streamPath: string, fallback: string): string {
  return layout(
    title,
    `<article>
<h1>${escape(title)}</h1>
<p><em>${escape(byline)}</em></p>
<div data-mpp-stream="${escape(streamPath)}">
${fallback}
</div>
</article>`,
  )
}

export function poemPage(): string {
  return streamPage(
    poem.title,
    poem.author,
    '/api/sessions/poem',
    `<p>${escape(poem.lines[0]!)} …</p>
<p class="note">The full poem streams here word by word at $0.001 per word. Read it with an MPP wallet such as Drip.</p>`,
  )
}

/** `wps` picks the paced stream variant (a path, not a query: see demo/README.md). */
export function articlePage(article: Article, wps: number | undefined): string {
  const path = `/api/sessions/article/${article.slug}${wps ? `/wps/${wps}` : ''}`
  const preview = article.words.slice(0, 40).filter((word) => word !== '\n').join(' ')
  return streamPage(
    article.title,
    article.author,
    path,
    `<p>${escape(preview)} …</p>
<p class="note">The rest of this ${article.words.length}-word article streams at $0.001 per word${wps ? `, ${wps} words per second` : ''}. Read it with an MPP wallet such as Drip.</p>`,
  )
}

/** Test only: a stream page whose server overcharges. */
export function dishonestPage(): string {
  return streamPage('A dishonest stream', 'Test fixture', '/api/sessions/dishonest', '<p>This server asks for more than it delivers.</p>')
}

/**
 * The body of a 402 for a browser navigation. Status and the
 * `WWW-Authenticate: Payment` challenge stay as they are, so wallets still
 * see a proper MPP challenge; people see what the page costs and what to do.
 */
export function paymentRequired(details: { path: string; price: string | undefined; unit: string | undefined }): string {
  return layout(
    'Payment required',
    `<h1>402 — Payment required</h1>
<p>${escape(details.path)} is paid content${details.price ? `: <strong>$${escape(details.price)} per ${escape(details.unit ?? 'request')}</strong>` : ''}, paid with the Machine Payments Protocol over a Tempo payment channel.</p>
<p class="note">With Drip installed, approve this site from Drip's toolbar popup and reload. Without a wallet, see the <a href="/">demo home page</a>.</p>`,
  )
}

export function notFound(): string {
  return layout('Not found', '<h1>Not found</h1><p>No such page in this demo.</p>')
}
