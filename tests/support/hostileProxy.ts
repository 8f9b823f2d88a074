/**
 * A dishonest paywalled site for tests: a proxy in front of the demo site
 * (so its challenges, vouchers and closes are real mppx ones) that can lie
 * where a hostile server would. Each `Behaviour` names one lie; `set`
 * switches it mid-test. It records every request it saw, so a test can
 * assert what Drip did and did not send.
 */
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { serve } from '@hono/node-server'
import { Challenge, Credential } from 'mppx'

export type Behaviour = {
  /** How to answer a close credential: pass it on, claim success without closing, or fail. */
  close?: 'forward' | 'fake-2xx' | 'fail-500'
  /** Rewrite the challenge's price per unit (raw units) in every 402. */
  price?: string
  /** Answer a paid GET with a redirect to this URL instead of the content. */
  redirectPaidTo?: string
  /** Answer a paid GET with this many bytes of text instead of the content. */
  hugeBody?: number
  /** Answer a paid GET with this many zero bytes, gzipped: a content-length of a few KiB over a body of this size. */
  gzipBody?: number
  /** CORS headers the site adds to its 402s and to its paid answers; `reflect` echoes the request's Origin, as many APIs do. */
  cors?: { challenge?: Record<string, string>; paid?: Record<string, string> | 'reflect' }
  /** Send a 402's headers at once and its body this many ms later, as a server that streams its answers does. */
  lagChallengeBodyMs?: number
  /** Runs before a close credential is passed on (a test's fault injection). */
  beforeClose?: () => Promise<void>
}

export type SeenRequest = { method: string; path: string; action: string | undefined; origin: string | null }

export async function startHostileProxy(target: string, initial: Behaviour = {}) {
  let behaviour = initial
  const seen: SeenRequest[] = []
  let lastChallenge = new Headers()
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve(
      {
        port: 0,
        hostname: '127.0.0.1',
        async fetch(request) {
          const url = new URL(request.url)
          const authorization = request.headers.get('authorization')
          const action = authorization ? actionOf(authorization) : undefined
          seen.push({ method: request.method, path: url.pathname + url.search, action, origin: request.headers.get('origin') })
          if (action === 'close') await behaviour.beforeClose?.()
          if (action === 'close' && behaviour.close === 'fake-2xx') return new Response(null, { status: 204 })
          if (action === 'close' && behaviour.close === 'fail-500') return new Response('close failed', { status: 500 })
          if (authorization && request.method === 'GET' && behaviour.redirectPaidTo) return Response.redirect(behaviour.redirectPaidTo, 302)
          if (authorization && request.method === 'GET' && behaviour.gzipBody) {
            const compressed = gzipSync(Buffer.alloc(behaviour.gzipBody))
            return new Response(compressed, { headers: { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip', 'content-length': String(compressed.byteLength) } })
          }
          if (authorization && request.method === 'GET' && behaviour.hugeBody)
            return new Response('x'.repeat(behaviour.hugeBody), { headers: { 'content-type': 'text/plain' } })
          const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer()
          const headers = new Headers(request.headers)
          headers.delete('host')
          const upstream = await fetch(`${target}${url.pathname}${url.search}`, { method: request.method, headers, body, redirect: 'manual' })
          const cors = upstream.status === 402 ? behaviour.cors?.challenge : behaviour.cors?.paid === 'reflect' ? { 'access-control-allow-origin': request.headers.get('origin') ?? '' } : behaviour.cors?.paid
          const lag = upstream.status === 402 ? behaviour.lagChallengeBodyMs : undefined
          if ((upstream.status !== 402 || behaviour.price === undefined) && !cors) return lag === undefined ? upstream : lagging(upstream, lag)
          const answerHeaders = upstream.status === 402 && behaviour.price !== undefined ? withPrice(upstream.headers, behaviour.price) : new Headers(upstream.headers)
          for (const [name, value] of Object.entries(cors ?? {})) answerHeaders.set(name, value)
          if (upstream.status === 402) lastChallenge = answerHeaders
          // Node's fetch decoded the body: its encoding and length no longer describe it.
          answerHeaders.delete('content-encoding')
          answerHeaders.delete('content-length')
          const answer = new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: answerHeaders })
          return lag === undefined ? answer : lagging(answer, lag)
        },
      },
      () => resolve(started),
    )
    started.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    /** The headers of the last 402 it sent with CORS headers (what the browser's `webRequest` would have seen). */
    seenChallenge: () => lastChallenge,
    set(next: Behaviour) {
      behaviour = next
    },
    async close() {
      ;(server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The same answer, its body held back `ms` after its headers have gone out. */
function lagging(upstream: Response, ms: number): Response {
  const headers = new Headers(upstream.headers)
  headers.delete('content-encoding')
  headers.delete('content-length')
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const bytes = new Uint8Array(await upstream.arrayBuffer())
      await new Promise((resolve) => setTimeout(resolve, ms))
      controller.enqueue(bytes)
      controller.close()
    },
  })
  return new Response(body, { status: upstream.status, statusText: upstream.statusText, headers })
}

function actionOf(authorization: string): string | undefined {
  try {
    return (Credential.deserialize(authorization).payload as { action?: string }).action
  } catch {
    return undefined
  }
}

/** The same challenge at another price (its HMAC no longer verifies at the real site: a lie is all it is). */
function withPrice(headers: Headers, price: string): Headers {
  const next = new Headers(headers)
  const [challenge] = Challenge.fromHeadersList(headers)
  if (!challenge) return next
  next.set('www-authenticate', Challenge.serialize(Challenge.from({ ...challenge, request: { ...challenge.request, amount: price } } as never)))
  return next
}
