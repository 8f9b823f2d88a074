/**
 * Background only. A paid request Drip makes for a page of another origin
 * carries that page's `Origin` (`paidRequest.ts` sets the header), so the
 * site's CORS headers answer the page and not Drip. Script may not set
 * `Origin`, so a `declarativeNetRequest` session rule sets it on Drip's own
 * requests (no tab) to that site's origin, for as long as the headers take
 * to arrive. Requests to one site go one at a time: two pages' rules never
 * meet. Without the API (or if the rule fails) the request leaves with
 * Drip's own Origin, and the page's CORS check fails closed.
 */
import type { Browser } from 'wxt/browser'
import { Serial } from '@/lib/shared/serial'

type SessionRules = Pick<typeof Browser.declarativeNetRequest, 'updateSessionRules' | 'getSessionRules'>

export function withPageOrigin(fetch: typeof globalThis.fetch, rules: SessionRules | undefined): typeof globalThis.fetch {
  const turns = new Serial()
  let nextId = 1
  // Rules left by a worker Chrome ended between adding and removing one; session rules outlive the worker.
  let cleared: Promise<unknown> | undefined
  const clearLeftovers = () => (cleared ??= rules!.getSessionRules().then((left) => rules!.updateSessionRules({ removeRuleIds: left.map((rule) => rule.id) })))
  return (input, init) => {
    const headers = new Headers(init?.headers)
    const origin = headers.get('origin')
    if (!origin || !rules) return fetch(input, init)
    headers.delete('origin')
    const site = new URL(input instanceof Request ? input.url : String(input)).origin
    return turns.run(site, async () => {
      const id = nextId++
      try {
        await clearLeftovers()
        await rules.updateSessionRules({ removeRuleIds: [id], addRules: [originRule(id, site, origin)] })
      } catch {
        // The request goes with Drip's Origin; a site that names the page's will not match it, and the page reads nothing.
        return fetch(input, { ...init, headers })
      }
      try {
        return await fetch(input, { ...init, headers })
      } finally {
        await rules.updateSessionRules({ removeRuleIds: [id] }).catch(() => undefined)
      }
    })
  }
}

function originRule(id: number, site: string, pageOrigin: string): Browser.declarativeNetRequest.Rule {
  return {
    id,
    priority: 1,
    action: { type: 'modifyHeaders', requestHeaders: [{ header: 'origin', operation: 'set', value: pageOrigin }] },
    // Drip's own requests only (no tab), to this site only.
    condition: { urlFilter: `|${site}/`, tabIds: [-1] },
  }
}
