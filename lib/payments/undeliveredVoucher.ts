/**
 * A voucher Drip signed that the site did not take (it answered the POST
 * with an error, or the connection failed after sending). The site may hold
 * it all the same, so what it signed stays signed: `cumulative` is the
 * channel's total with it, for whoever counts this stream's own payments.
 */
import type { RawAmount } from '@/lib/shared/amounts'

export class UndeliveredVoucherError extends Error {
  override name = 'UndeliveredVoucherError'
  constructor(
    message: string,
    readonly cumulative: RawAmount,
  ) {
    super(message)
  }
}
