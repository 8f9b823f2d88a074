/**
 * Seeded fuzz of what a site's paid answer can be, as the page is handed it:
 * its CORS headers (whether the page may read it at all, and which headers)
 * and its size once decoded (gzip, deflate or brotli bodies whose length
 * says nothing of what they decode to). The oracles are written from the
 * Fetch standard and from Drip's bound, not from Drip's code.
 * Figures that must be 0: answers readable that CORS forbids (or the
 * reverse), cookies or unexposed headers handed over, pieces over 64 KiB,
 * bytes past the bound, bodies cut off within the bound, crashes.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import { afterAll, describe, expect, test } from 'vitest'
import { corsAllows, corsGrantOf, exposedHeaders } from '@/lib/shared/cors'
import { boundedPieces, SiteFetchError } from '@/lib/shared/http'
import { figures, fuzzCases, random } from './scale'

const results = figures('Paid answers fuzz')
results.expectZero(
  'cors: readable where the browser forbids it',
  'cors: refused where the browser allows it',
  'cors: cookies handed over',
  'cors: unexposed headers handed over',
  'bodies: pieces over 64 KiB',
  'bodies: bytes past the bound',
  'bodies: cut off within the bound',
  'bodies: bytes changed',
  'bodies: crashes',
)
afterAll(() => results.print())

const page = 'https://reader.page'
const safelisted = ['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma']

describe('fuzz', () => {
  test(`${fuzzCases} CORS shapes of a paid answer: the page reads exactly what the browser would let it`, () => {
    const r = random(31)
    const origins = [page, `${page}/`, ` ${page}`, page.toUpperCase(), 'https://reader.page:443', 'http://reader.page', 'https://other.site', '*', ' * ', 'null', '', `${page}, https://other.site`]
    for (let i = 0; i < fuzzCases; i++) {
      const headers = new Headers()
      const allowOrigin = r.chance(0.85) ? r.pick(origins) : undefined
      if (allowOrigin !== undefined) headers.set('access-control-allow-origin', allowOrigin)
      if (r.chance(0.5)) headers.set('access-control-allow-credentials', r.pick(['true', 'TRUE', 'false', ' true', '1']))
      const names = ['x-request-id', 'payment-receipt', 'set-cookie', 'x-secret', ...safelisted]
      for (const name of names) if (r.chance(0.5)) headers.append(name, r.text(r.int(0, 12), 'abc123'))
      const expose = Array.from({ length: r.int(0, 4) }, () => r.pick([...names, '*', 'X-Request-Id', ' x-secret ']))
      if (expose.length) headers.set('access-control-expose-headers', expose.join(r.pick([',', ', '])))
      const credentials = r.pick(['omit', 'same-origin', 'include'] as const)

      // The Fetch standard's CORS check, as written there: the header value (trimmed by parsing) must be `*` (no
      // credentials) or byte-equal to the request's origin; with credentials, also Allow-Credentials exactly `true`.
      const value = headers.get('access-control-allow-origin')?.trim()
      const withCredentials = credentials === 'include'
      const allowed = value !== undefined && ((value === '*' && !withCredentials) || value === page) && (!withCredentials || headers.get('access-control-allow-credentials') === 'true')
      const verdict = corsAllows(corsGrantOf(headers), page, credentials)
      if (verdict && !allowed) results.add('cors: readable where the browser forbids it')
      if (!verdict && allowed) results.add('cors: refused where the browser allows it')

      const exposedNames = new Set(expose.map((name) => name.trim().toLowerCase()))
      const handed = exposedHeaders(headers, credentials).map(([name]) => name)
      if (handed.includes('set-cookie')) results.add('cors: cookies handed over')
      const unexposed = handed.filter((name) => !safelisted.includes(name) && !exposedNames.has(name) && !(exposedNames.has('*') && !withCredentials))
      if (unexposed.length) results.add('cors: unexposed headers handed over')
      results.add('cors: shapes tried')
      if (verdict) results.add('cors: shapes the page may read')
    }
    expect(results.get('cors: readable where the browser forbids it') + results.get('cors: refused where the browser allows it')).toBe(0)
    expect(results.get('cors: cookies handed over') + results.get('cors: unexposed headers handed over')).toBe(0)
  })

  test(`${fuzzCases / 40} compressed paid answers: read decoded, in pieces of at most 64 KiB, cut off exactly past the bound`, async () => {
    const r = random(37)
    const bound = 256 * 1024
    const bodies = new Map<string, { encoding: string; bytes: Buffer; chunk: number }>()
    const server = createServer((request, response) => {
      const body = bodies.get(request.url ?? '')!
      // A small, lying content-length is what the finding used; the encoded length is what goes on the wire.
      response.writeHead(200, { 'content-encoding': body.encoding, 'content-type': 'application/octet-stream' })
      for (let at = 0; at < body.bytes.byteLength; at += body.chunk) response.write(body.bytes.subarray(at, at + body.chunk))
      response.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      for (let i = 0; i < fuzzCases / 40; i++) {
        const size = r.pick([0, 1, r.int(0, bound), bound, bound + 1, r.int(bound, 4 * bound), r.int(0, 16) * 64 * 1024])
        const plain = Buffer.alloc(size, r.pick([0, 120]))
        if (r.chance(0.5)) for (let at = 0; at < size; at += r.int(1, 5_000)) plain[at] = r.int(0, 255)
        const encoding = r.pick(['gzip', 'deflate', 'br'])
        const bytes = encoding === 'gzip' ? gzipSync(plain) : encoding === 'deflate' ? deflateSync(plain) : brotliCompressSync(plain)
        bodies.set(`/${i}`, { encoding, bytes, chunk: r.int(1, 50_000) })
        const response = await fetch(`${base}/${i}`)
        let total = 0
        let cut = false
        const received: Uint8Array[] = []
        try {
          for await (const piece of boundedPieces(response.body!, bound)) {
            if (piece.byteLength > 64 * 1024) results.add('bodies: pieces over 64 KiB')
            total += piece.byteLength
            received.push(piece.slice())
          }
        } catch (error) {
          if (error instanceof SiteFetchError) cut = true
          else results.add('bodies: crashes')
        }
        if (total > bound) results.add('bodies: bytes past the bound')
        if (cut && size <= bound) results.add('bodies: cut off within the bound')
        if (!cut && size > bound) results.add('bodies: bytes past the bound')
        if (!Buffer.concat(received).equals(plain.subarray(0, total))) results.add('bodies: bytes changed')
        results.add('bodies: answers tried')
        if (cut) results.add('bodies: answers cut off past the bound')
      }
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
    expect(results.get('bodies: pieces over 64 KiB') + results.get('bodies: bytes past the bound') + results.get('bodies: cut off within the bound')).toBe(0)
    expect(results.get('bodies: bytes changed') + results.get('bodies: crashes')).toBe(0)
  }, 300_000)
})
