/**
 * Marks a page as having an MPP wallet, so sites can tell readers with Drip
 * from readers without one (and offer streams instead of fallback text):
 * only on a site the reader approved. Elsewhere the page's DOM carries no
 * mark of Drip (any site could otherwise tell who runs it).
 */
import type { PageConnection } from '@/lib/protocol/messages'

export const walletAttribute = 'data-mpp-wallet'
export const versionAttribute = 'data-mpp-wallet-version'

/** Marks the page if its site is approved; true when it did. */
export function announce(document: Document, connection: PageConnection): boolean {
  if (!connection.approved) return false
  const root = document.documentElement
  if (root.getAttribute(walletAttribute) === connection.wallet) return true
  root.setAttribute(walletAttribute, connection.wallet)
  root.setAttribute(versionAttribute, connection.version)
  document.dispatchEvent(new Event('mpp-wallet-ready'))
  return true
}
