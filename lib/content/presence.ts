/**
 * Marks a page as having an MPP wallet, so sites can tell readers with Drip
 * from readers without one (and offer streams instead of fallback text):
 * only on a site the reader approved. Elsewhere the page's DOM carries no
 * mark of Drip (any site could otherwise tell who runs it), and a site the
 * reader revokes loses the mark in its open pages.
 */
import type { PageConnection } from '@/lib/protocol/messages'

export const walletAttribute = 'data-mpp-wallet'
export const versionAttribute = 'data-mpp-wallet-version'

/** Marks the page if its site is approved; true when it did. */
function announce(document: Document, connection: PageConnection): boolean {
  if (!connection.approved) return false
  const root = document.documentElement
  if (root.getAttribute(walletAttribute) === connection.wallet) return true
  root.setAttribute(walletAttribute, connection.wallet)
  root.setAttribute(versionAttribute, connection.version)
  document.dispatchEvent(new Event('mpp-wallet-ready'))
  return true
}

/**
 * The page's mark as Drip's latest answer has it: set while the site is
 * approved; once it is not (the reader revoked it), taken off, if Drip had
 * set it. A mark the page set itself is the page's.
 */
export function pagePresence(document: Document) {
  let marked = false
  return {
    update(connection: PageConnection) {
      if (announce(document, connection)) marked = true
      else if (marked) {
        marked = false
        document.documentElement.removeAttribute(walletAttribute)
        document.documentElement.removeAttribute(versionAttribute)
      }
    },
  }
}
