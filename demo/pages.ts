/** The demo's HTML: readable without a wallet, and marked up for Drip to fill in. */
import { type Article, articles, poem, poemWords, publishedArticles } from './content'
import { essays } from './essays'

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
  .masthead { font: 700 2.2rem/1.1 Georgia, serif; margin: 1rem 0 .2rem; letter-spacing: -.01em; }
  .tagline { margin: 0 0 1.5rem; color: #57606a; font-style: italic; }
  .story { border-top: 1px solid #d0d7de; padding: .8rem 0; }
  .story h2 { margin: 0 0 .3rem; font: 700 1.3rem/1.25 Georgia, serif; }
  .story h2 a { color: inherit; text-decoration: none; }
  .story h2 a:hover { text-decoration: underline; }
  .meta { font: 13px/1.4 system-ui, sans-serif; color: #57606a; }
  footer { margin-top: 2rem; border-top: 1px solid #d0d7de; padding-top: .6rem; font: 13px/1.4 system-ui, sans-serif; color: #57606a; }
`

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title === publication ? publication : `${escape(title)} · ${publication}`}</title><style>${style}</style></head>
<body>
<nav><a href="/">${publication}</a><a href="/gallery">Photo desk</a><a href="/poem">Poetry</a>${publishedArticles.map((a) => `<a href="/article/${a.slug}">${escape(a.title.split(',')[0]!)}</a>`).join('')}</nav>
${body}
<footer>${publication} is a demonstration on a local test network: its money is test money. <a href="/developers">For developers</a>: how each page pays.</footer>
</body>
</html>`
}

/** The demo's name as a reader meets it. */
export const publication = 'The Metered Review'

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** The front page: what there is to read and see, and what each costs, as a publication shows it. */
export function home(): string {
  const minutes = (words: number) => Math.max(1, Math.round(words / 230))
  const price = (words: number) => `$${(words * 0.001).toFixed(2)}`
  const stories = essays
    .map((essay) => {
      // The stream charges each word and each paragraph break: the price in full is what the stream charges.
      const units = articles.find((a) => a.slug === essay.slug)!.words
      return `<section class="story">
  <h2><a href="/article/${essay.slug}">${escape(essay.title)}</a></h2>
  <p>${escape(essay.standfirst)}</p>
  <p class="meta">By ${escape(essay.author)} · ${minutes(units.filter((w) => w !== '\n').length)} min read · ${price(units.length)} to read in full, a tenth of a cent a word</p>
</section>`
    })
    .join('\n')
  return layout(
    publication,
    `<p class="masthead">${publication}</p>
<p class="tagline">Essays, photographs and poems, paid for as you read them.</p>
${stories}
<section class="story">
  <h2><a href="/gallery">From the photo desk</a></h2>
  <p>A new photograph each time you ask, from our generated archive.</p>
  <p class="meta">1 cent a photo</p>
</section>
<section class="story">
  <h2><a href="/poem">${escape(poem.title)}</a></h2>
  <p>${escape(poem.author)}'s poem, word by word.</p>
  <p class="meta">${price(poemWords.length)} to read in full, a tenth of a cent a word</p>
</section>
<section class="story">
  <h2><a href="/real/ticker">Markets, live</a></h2>
  <p>Thirty price ticks, as they happen.</p>
  <p class="meta">A tenth of a cent a tick</p>
</section>
<p class="note">Reading here takes an MPP wallet such as Drip: approve ${publication} once in the wallet, with a limit you choose, and every page on this site pays as you read.</p>`,
  )
}

/** For developers: every way the demo's pages pay, the paid endpoints and their unpaid twins. */
export function developers(): string {
  return layout(
    'For developers',
    `<h1>For developers: how each page pays</h1>
<p>Everything here is paid with the Machine Payments Protocol over Tempo payment channels on the local devnet.</p>
<h2>Pages with Drip's markup</h2>
<ul>
  <li><a href="/gallery">Photo gallery</a>: $0.01 per photo, paid by the page's own <code>fetch</code>.</li>
  <li><a href="/poem">${escape(poem.title)}</a>: a declared stream (<code>data-mpp-stream</code>), $0.001 per word.</li>
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
    title: 'From the photo desk',
    intro: `<p>A new photograph from our archive each time you ask, for a cent each.</p>`,
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
