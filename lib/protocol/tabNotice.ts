/**
 * Background → content scripts of a site's tabs: the reader approved the
 * site, so what waited for that approval may carry on (`tabs.sendMessage`).
 */
export type TabNotice = { drip: 'approved' }

export function isTabNotice(value: unknown): value is TabNotice {
  return typeof value === 'object' && value !== null && (value as TabNotice).drip === 'approved'
}
