import { paymentsGlobal } from '@/lib/background/lazyPayments'
import { startPayments } from '@/lib/background/payments'

/** The payment code, loaded by the background entry when something needs it (`lib/background/lazyPayments.ts`); it leaves its start function and does nothing else. */
export default defineUnlistedScript(() => {
  ;(globalThis as unknown as Record<string, unknown>)[paymentsGlobal] = startPayments
})
