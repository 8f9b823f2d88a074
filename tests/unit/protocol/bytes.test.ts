/**
 * Bodies on Drip's ports are bytes (structured clones), checked where they
 * arrive: a page world that sends anything else gets its request refused,
 * and a `Uint8Array` made in another realm (the page's, seen from a
 * content script) still counts.
 */
import { runInNewContext } from 'node:vm'
import { describe, expect, test } from 'vitest'
import { isBytes, ownBytes } from '@/lib/protocol/bytes'
import { isPaidRequest, type PaidRequest } from '@/lib/protocol/requestPort'
import { isFrameData } from '@/lib/protocol/socketPort'

describe('bytes on the ports', () => {
  test.each([
    { what: 'a Uint8Array', value: new Uint8Array([1, 2]), bytes: true },
    { what: 'a Uint8Array of another realm', value: runInNewContext('new Uint8Array([1, 2])'), bytes: true },
    { what: 'a base64 string', value: 'AQI=', bytes: false },
    { what: 'an ArrayBuffer', value: new ArrayBuffer(2), bytes: false },
    { what: 'a Uint16Array', value: new Uint16Array(1), bytes: false },
    { what: 'a DataView', value: new DataView(new ArrayBuffer(2)), bytes: false },
    { what: 'an object that claims the tag', value: { [Symbol.toStringTag]: 'Uint8Array', byteLength: 2 }, bytes: false },
    { what: 'an array of numbers', value: [1, 2], bytes: false },
  ])('$what: $bytes', ({ value, bytes }) => {
    expect(isBytes(value)).toBe(bytes)
  })

  test('own bytes: a view of a larger buffer is copied to exactly its bytes; bytes that own their buffer are kept', () => {
    const buffer = new Uint8Array([9, 1, 2, 3, 9]).buffer
    const view = new Uint8Array(buffer, 1, 3)
    const own = ownBytes(view)
    expect([...own]).toEqual([1, 2, 3])
    expect(own.buffer.byteLength).toBe(3)
    const whole = new Uint8Array([1, 2])
    expect(ownBytes(whole)).toBe(whole)
  })

  const request: PaidRequest = { url: 'https://site.test/a', method: 'POST', headers: [], body: new Uint8Array([1]), credentials: 'include', wwwAuthenticate: null }
  test.each([
    { what: 'bytes', body: new Uint8Array([1]), readable: true },
    { what: 'no body', body: null, readable: true },
    { what: 'a base64 string', body: 'AQ==', readable: false },
    { what: 'an ArrayBuffer', body: new ArrayBuffer(1), readable: false },
    { what: 'numbers', body: [1], readable: false },
  ])('a page’s request with $what as its body is readable: $readable', ({ body, readable }) => {
    expect(isPaidRequest({ ...request, body })).toBe(readable)
  })

  test.each([
    { what: 'text', data: { text: 'hi' }, readable: true },
    { what: 'bytes', data: { bytes: new Uint8Array([1]) }, readable: true },
    { what: 'base64', data: { base64: 'AQ==' }, readable: false },
    { what: 'a bare ArrayBuffer', data: { bytes: new ArrayBuffer(1) }, readable: false },
  ])('a socket frame of $what is readable: $readable', ({ data, readable }) => {
    expect(isFrameData(data)).toBe(readable)
  })
})
