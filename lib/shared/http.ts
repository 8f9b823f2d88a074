/**
 * Fetch rules for everything the background sends to a site: no redirect is
 * followed (a paid URL that redirects could point Drip's host permissions at
 * a localhost or intranet address), and no body is buffered past a bound.
 */

export class SiteFetchError extends Error {
  override name = 'SiteFetchError'
}

/** A fetch that refuses redirects instead of following them. */
export function withoutRedirects(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetch(input, { ...init, redirect: 'manual' })
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel().catch(() => undefined)
      throw new SiteFetchError(`${urlOf(input)} redirects elsewhere; Drip does not follow redirects for paid requests.`)
    }
    return response
  }
}

/** Reads a body as text, but throws once it passes `maxBytes` instead of buffering it all. */
export async function readTextBounded(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw new SiteFetchError(`The site sent more than ${Math.round(maxBytes / 1024)} KiB.`)
    }
    chunks.push(value)
  }
  return new TextDecoder().decode(concatBytes(chunks))
}

/** The chunks as one array of bytes. */
export function concatBytes(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.byteLength, 0))
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/**
 * A body's decoded bytes in pieces of at most `pieceBytes`, throwing once
 * more than `maxBytes` arrived (a small `content-length` says nothing of a
 * compressed body's size). Stops reading the site when it ends or fails.
 */
export async function* boundedPieces(body: ReadableStream<Uint8Array>, maxBytes: number, pieceBytes = 64 * 1024): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = body.getReader()
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      total += value.byteLength
      if (total > maxBytes) throw new SiteFetchError(`The site's answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB, so Drip stopped reading it.`)
      for (let at = 0; at < value.byteLength; at += pieceBytes) yield value.subarray(at, at + pieceBytes)
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}

function urlOf(input: RequestInfo | URL): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
}
