/**
 * What a page's 402 tells the background (through the hand-over,
 * `background/servers/requestServer.ts`), and the outcome in words when Drip does not
 * pay. Nothing here is trusted for an amount or an origin: it only says
 * "this URL answered 402". No outcome carries a credential to a page.
 */

export type PageRequest = {
  /** The URL the page fetched. */
  url: string
  method: string
  /** The 402's challenge, or null when CORS hid the header from the page. */
  wwwAuthenticate: string | null
}

/** How long a page's request waits for the reader's approval before the page gets the site's 402 (`heldRequests.ts`). */
export const approvalWaitMs = 60_000

/** Why Drip did not pay a page's request, in words for the reader. */
export type Outcome =
  | { outcome: 'pending'; message: string }
  | { outcome: 'refused'; message: string }
  | { outcome: 'locked'; message: string }

/** The window-message tag of a page-world question "was this a 402 I may pay?" (`page/paymentQuery.ts`). */
export const paymentQueryTag = 'drip:payment-seen'

/** The event the registered script of a paying site dispatches at document_start (`page/payingSiteHint.ts`). */
export const payingSiteHintType = 'drip:paying-site'

/** The window-message tag of the page world's port for its site's status (`page/siteStatus.ts`). */
export const siteStatusTag = 'drip:site-status'
