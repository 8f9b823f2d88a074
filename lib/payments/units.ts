/**
 * What a site's price is per: the unit type its session challenge names
 * ("word", "photo"), or `oneTimeUnit` for its one-shot charges. Shared by
 * the firewall, the policy and the popup (so it imports no protocol code).
 */
import { formatDollars, type RawAmount, type RawAmountString } from '@/lib/shared/amounts'

/** The unit type under which a site's one-shot charges are approved; no session may use it. */
export const oneTimeUnit = 'one-time payment'

/** "$0.001 per word", or "one-time payments up to $0.05" for charges. */
export function priceText(amount: RawAmount | RawAmountString, unitType: string): string {
  return unitType === oneTimeUnit ? `one-time payments up to ${formatDollars(amount)}` : `${formatDollars(amount)} per ${unitType}`
}
