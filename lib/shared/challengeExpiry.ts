/**
 * A challenge Drip keeps to use again (a declared stream's, `payments/freshChallenges.ts`; a URL the tab paid,
 * `page/paidUrls.ts`) is not used this close to its expiry: the request that carries it must still find it valid at
 * the site, and Drip refuses an expired one. mppx's challenges live five minutes by default.
 */
export const challengeExpiryMarginMs = 30_000
