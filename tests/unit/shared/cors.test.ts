/** What a page of another origin may read of an answer, as the browser decides: the body at all (`corsAllows`), and which headers. */
import { describe, expect, test } from 'vitest'
import { corsAllows, corsGrantOf, exposedHeaders } from '@/lib/shared/cors'

const answer = new Headers({
  'content-type': 'application/json',
  'cache-control': 'no-store',
  'payment-receipt': 'receipt',
  'x-secret': 'internal',
  'x-request-id': '42',
  'set-cookie': 'session=1',
})
const names = (headers: [string, string][]) => headers.map(([name]) => name).sort()

describe('exposedHeaders', () => {
  test.each([
    ['nothing exposed: the safelisted only', undefined, 'same-origin', ['cache-control', 'content-type']],
    ['one exposed by name', 'X-Request-Id', 'same-origin', ['cache-control', 'content-type', 'x-request-id']],
    ['* without credentials: all but cookies', '*', 'omit', ['cache-control', 'content-type', 'payment-receipt', 'x-request-id', 'x-secret']],
    ['* with credentials is a header named "*": the safelisted only', '*', 'include', ['cache-control', 'content-type']],
    ['set-cookie is never exposed', 'set-cookie, x-secret', 'same-origin', ['cache-control', 'content-type', 'x-secret']],
  ] as const)('%s', (_name, expose, credentials, expected) => {
    const headers = new Headers(answer)
    if (expose) headers.set('access-control-expose-headers', expose)
    expect(names(exposedHeaders(headers, credentials)).filter((name) => name !== 'access-control-expose-headers')).toEqual(expected)
  })
})

describe('corsAllows', () => {
  const page = 'http://127.0.0.1:4000'
  test.each([
    ['no Access-Control-Allow-Origin: never', {}, 'same-origin', false],
    ['* without credentials', { 'access-control-allow-origin': '*' }, 'same-origin', true],
    ['* with omit', { 'access-control-allow-origin': '*' }, 'omit', true],
    ['* with credentials: never, even with Allow-Credentials', { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' }, 'include', false],
    ['the page origin exactly', { 'access-control-allow-origin': page }, 'same-origin', true],
    ['another origin', { 'access-control-allow-origin': 'http://localhost:4000' }, 'same-origin', false],
    ['the page origin with a trailing slash is another string', { 'access-control-allow-origin': `${page}/` }, 'same-origin', false],
    ['Drip\'s own origin (a site that echoed the wrong Origin)', { 'access-control-allow-origin': 'chrome-extension://abcdef' }, 'omit', false],
    ['the page origin with credentials, no Allow-Credentials', { 'access-control-allow-origin': page }, 'include', false],
    ['the page origin with credentials and Allow-Credentials: true', { 'access-control-allow-origin': page, 'access-control-allow-credentials': 'true' }, 'include', true],
    ['Allow-Credentials must be exactly true', { 'access-control-allow-origin': page, 'access-control-allow-credentials': 'TRUE' }, 'include', false],
    ['null is not an origin a page has here', { 'access-control-allow-origin': 'null' }, 'same-origin', false],
  ] as const)('%s', (_name, headers, credentials, expected) => {
    expect(corsAllows(corsGrantOf(new Headers(headers)), page, credentials)).toBe(expected)
  })
})
