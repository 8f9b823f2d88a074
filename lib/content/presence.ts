/**
 * Marks a page as having an MPP wallet, so sites can tell readers with Drip
 * from readers without one (and offer streams instead of fallback text).
 */
import type { PageConnection } from '@/lib/protocol/messages'

export const walletAttribute = 'data-mpp-wallet'
export const versionAttribute = 'data-mpp-wallet-version'

export function announce(document: Document, connection: PageConnection): void {
  const root = document.documentElement
  root.setAttribute(walletAttribute, connection.wallet)
  root.setAttribute(versionAttribute, connection.version)
  document.dispatchEvent(new Event('mpp-wallet-ready'))
}
