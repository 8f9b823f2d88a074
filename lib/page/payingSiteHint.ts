/**
 * Runs in the page's own (MAIN) world. Whether the page's site paid when the
 * page began to load (the reader had approved it, or it waited for the
 * reader), known before any of the page's own scripts runs: the background
 * registers `entrypoints/paying-site.content.ts` for those sites only
 * (`background/payingSiteScript.ts`), and the browser runs it at
 * document_start after Drip's page-world script (Chromium and Firefox run
 * scripts declared in the manifest before registered ones). On every other
 * site nothing runs and nothing is dispatched, so a socket the page makes
 * before Drip's answer is the browser's own (`siteStatus.ts`).
 */
import { payingSiteHintType } from '@/lib/protocol/pageBridge'

/** The registered script's half: tells Drip's page-world script that this site pays. */
export function announcePayingSite(target: Window): void {
  target.dispatchEvent(new Event(payingSiteHintType))
}

/**
 * Drip's page-world half, listening from document_start. A hint counts only
 * while the document is still empty (no element, no script: only
 * document_start scripts run then), so a page that dispatches the event
 * itself later is not taken for a paying site.
 */
export function listenForPayingSite(target: Window): { readonly hinted: boolean; stop(): void } {
  let hinted = false
  const document = target.document
  const onHint = () => {
    if (document.documentElement?.hasChildNodes() || document.scripts.length > 0) return
    hinted = true
    stop()
  }
  const stop = () => target.removeEventListener(payingSiteHintType, onHint)
  target.addEventListener(payingSiteHintType, onHint)
  return {
    get hinted() {
      return hinted
    },
    stop,
  }
}
