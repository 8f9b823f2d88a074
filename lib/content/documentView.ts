/**
 * A paid resource that is not a stream, shown in place: the image for a JSON
 * `{ url }` photo (http(s) only), text otherwise. Site text is set as text,
 * never as HTML.
 */
export function documentView(contentType: string, body: string): Node {
  if (contentType.includes('json')) {
    try {
      const value = JSON.parse(body) as { url?: unknown }
      if (typeof value.url === 'string' && /^https?:/.test(value.url)) {
        const image = document.createElement('img')
        image.src = value.url
        image.alt = 'Paid image'
        image.setAttribute('style', 'max-width: 100%')
        return image
      }
    } catch {}
  }
  const text = document.createElement('pre')
  text.setAttribute('style', 'white-space: pre-wrap')
  text.textContent = body
  return text
}

