/** `page.*`: the small public API of content scripts. The page's origin is the caller's, as the browser says. */
import { Receipt } from 'mppx'
import type { Hex } from 'viem'
import type { Caller, Handlers } from '@/lib/protocol/messages'
import * as Authorize from '@/lib/payments/authorize'
import { formatDollars, readRawAmount } from '@/lib/shared/amounts'
import type { Background } from '../root'

export function pageHandlers(background: Background): Pick<Handlers, 'page.connect' | 'page.pay' | 'page.receipt' | 'page.delivered'> {
  return {
    async 'page.connect'(_params, caller) {
      return { wallet: 'drip', version: background.options.version, origin: pageOrigin(caller) }
    },
    async 'page.pay'(request, caller) {
      const origin = pageOrigin(caller)
      const scope = await background.scope()
      if (!scope) return { outcome: 'locked', message: 'Drip has no account yet. Open Drip from the toolbar to set it up.' }
      return Authorize.payForPage(scope, origin, {
        url: String(request?.url ?? ''),
        method: String(request?.method ?? 'GET').toUpperCase(),
        wwwAuthenticate: typeof request?.wwwAuthenticate === 'string' ? request.wwwAuthenticate : null,
      })
    },
    /** Whether a voucher the page was given reached the site; see `Payer.delivered`. */
    async 'page.delivered'({ authorization, status }, caller) {
      const origin = pageOrigin(caller)
      const scope = await background.scope()
      if (!scope || typeof authorization !== 'string' || authorization.length > 16_384 || !Number.isInteger(status)) return { recorded: false }
      return { recorded: await scope.payer.delivered(origin, authorization, status) }
    },
    /**
     * Records that the site confirmed a payment, for a channel Drip holds for
     * that same site. The figure recorded is what Drip signed; a receipt that
     * claims more than that is a lie and is not recorded.
     */
    async 'page.receipt'({ receipt: header }, caller) {
      const origin = pageOrigin(caller)
      const scope = await background.scope()
      if (!scope || typeof header !== 'string' || header.length > 4096) return { recorded: false }
      let receipt: { channelId?: unknown; acceptedCumulative?: unknown }
      try {
        receipt = Receipt.deserialize(header) as typeof receipt
      } catch {
        return { recorded: false }
      }
      const accepted = readRawAmount(receipt.acceptedCumulative)
      if (typeof receipt.channelId !== 'string' || accepted === undefined) return { recorded: false }
      const record = await scope.records.get(receipt.channelId as Hex)
      if (!record || record.origin !== origin || accepted > BigInt(record.cumulative)) return { recorded: false }
      await scope.ledger.append({
        origin,
        kind: 'receipt',
        channelId: record.channelId,
        cumulative: record.cumulative,
        detail: `The site confirmed a payment on this channel (Drip has signed ${formatDollars(record.cumulative)} on it).`,
      })
      return { recorded: true }
    },
  }
}

function pageOrigin(caller: Caller): string {
  if (caller.kind !== 'page') throw new Error('Only content scripts speak for pages.')
  return caller.origin
}
