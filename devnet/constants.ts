import { Channel } from 'ox/tempo'

/** viem's tempoLocalnet. */
export const chainId = 1337
/** TIP-1034: seconds between requestClose and withdraw. */
export const closeGracePeriodSeconds = Number(Channel.closeGracePeriod)
