/**
 * Runs in the page's own (MAIN) world. A paid answer's bytes as the page's
 * `XMLHttpRequest` shows them (`xhr.ts`): its text, and its `response` for
 * the page's `responseType`, as the browser's own XHR gives them.
 */

/** The bytes so far as text (UTF-8, a character split across chunks kept whole). */
export function decode(chunks: Uint8Array[]): string {
  const decoder = new TextDecoder()
  return chunks.map((chunk, i) => decoder.decode(chunk, { stream: i < chunks.length - 1 })).join('')
}

/** `response` as the page's `responseType` asks for it, as the browser's XHR gives it. */
export function shape(type: XMLHttpRequestResponseType, chunks: Uint8Array[], text: string, contentType: string): unknown {
  if (type === '' || type === 'text') return text
  if (type === 'json') {
    try {
      return JSON.parse(text)
    } catch {
      return null
    }
  }
  if (type === 'blob') return new Blob(chunks as BlobPart[], { type: contentType })
  if (type === 'arraybuffer') {
    const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0))
    let offset = 0
    for (const chunk of chunks) bytes.set(chunk, (offset += chunk.byteLength) - chunk.byteLength)
    return bytes.buffer
  }
  if (type === 'document') return new DOMParser().parseFromString(text, contentType.includes('xml') ? 'application/xml' : 'text/html')
  return text
}
