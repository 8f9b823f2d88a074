/**
 * What the browser lets a page read of another origin's answer (the Fetch
 * standard's CORS check): Drip hands a page a paid answer only as the page
 * could have read the site's own. Pure; the answer's headers in, a verdict
 * out.
 */

/** The two headers the check reads, as a 402 the browser saw or a paid answer carries them. */
export type CorsGrant = { allowOrigin: string | null | undefined; allowCredentials: boolean }

export function corsGrantOf(headers: Headers): CorsGrant {
  return { allowOrigin: headers.get('access-control-allow-origin'), allowCredentials: headers.get('access-control-allow-credentials') === 'true' }
}

/**
 * Whether a page of `pageOrigin` may read an answer that grants this: its
 * own origin named exactly, or `*` when the request sent no credentials;
 * with credentials, its origin and `Access-Control-Allow-Credentials: true`.
 */
export function corsAllows(grant: CorsGrant, pageOrigin: string, credentials: RequestCredentials): boolean {
  const allowOrigin = grant.allowOrigin?.trim()
  if (credentials === 'include') return allowOrigin === pageOrigin && grant.allowCredentials
  return allowOrigin === '*' || allowOrigin === pageOrigin
}

/** Response headers any page may read across origins (the Fetch standard's CORS-safelisted response headers). */
const safelistedResponseHeaders = new Set(['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma'])

/**
 * The response headers a page of another origin may read, as the browser
 * filters them: the safelisted ones and those the answer names in
 * `Access-Control-Expose-Headers` (`*` exposes all but cookies, unless the
 * request sent credentials).
 */
export function exposedHeaders(headers: Headers, credentials: RequestCredentials): [string, string][] {
  const exposed = new Set((headers.get('access-control-expose-headers') ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean))
  const all = exposed.has('*') && credentials !== 'include'
  return [...headers].filter(([name]) => safelistedResponseHeaders.has(name) || (name !== 'set-cookie' && (all || exposed.has(name))))
}
