/** What a page of another origin may read of an answer's headers, as the browser filters them. */
import { describe, expect, test } from 'vitest'
import { exposedHeaders } from '@/lib/shared/http'

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
