import { Channel } from 'ox/tempo'

/** viem's tempoLocalnet. */
export const chainId = 1337
/** TIP-1034: seconds between requestClose and withdraw (ox's constant, the one definition the devnet uses). */
export const closeGracePeriod: bigint = Channel.closeGracePeriod
export const closeGracePeriodSeconds = Number(closeGracePeriod)
