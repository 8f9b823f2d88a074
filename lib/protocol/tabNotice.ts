/**
 * Background → content scripts of a site's tabs (`tabs.sendMessage`): the
 * reader approved the site, so what waited for that approval may carry on;
 * or revoked it, so its open pages stop paying and lose Drip's marks.
 */
export type TabNotice = { drip: 'approved' } | { drip: 'revoked' }

export function isTabNotice(value: unknown): value is TabNotice {
  const drip = typeof value === 'object' && value !== null ? (value as { drip?: unknown }).drip : undefined
  return drip === 'approved' || drip === 'revoked'
}
