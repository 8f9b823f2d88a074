/**
 * What the reader reads when Drip did not pay: Drip's words only. The
 * messages of Drip's own refusals (`RefusedError` and the other named
 * errors Drip throws with words written for the reader) are shown as they
 * are. Anything else (a library's error, which may quote a site's text)
 * becomes Drip's own sentence; the history keeps at most a short, one-line
 * quotation of it, labelled as the error's, never as Drip's instruction.
 */
/** The most of a foreign error's text the history quotes. */
export const maxQuotedChars = 120

/** Errors Drip throws with words written for the reader (`challenge.ts`, `wallet.ts`, `sse.ts`, `http.ts`, `undeliveredVoucher.ts`). */
const ownErrorNames = new Set(['RefusedError', 'LockedError', 'StreamError', 'SiteFetchError', 'UndeliveredVoucherError'])

export type RefusalWords = {
  /** For the page's notice and the page: Drip's words. */
  notice: string
  /** For Activity: Drip's words, and a foreign error quoted short and labelled. */
  history: string
}

export function refusalWords(error: unknown, origin: string): RefusalWords {
  if (error instanceof Error && ownErrorNames.has(error.name)) return { notice: error.message, history: error.message }
  const notice = `Drip could not complete this payment to ${origin}, so it paid nothing more.`
  const text = error instanceof Error ? error.message : String(error)
  const line = text.replace(/\s+/g, ' ').trim()
  if (!line) return { notice, history: notice }
  const quoted = line.length > maxQuotedChars ? `${line.slice(0, maxQuotedChars)}…` : line
  return { notice, history: `${notice} (The error, as a library reported it: “${quoted}”)` }
}
