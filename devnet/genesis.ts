/**
 * The devnet's starting state: a fixed mnemonic with ten funded development
 * accounts, a faucet, and two TIP-20 stablecoins (pathUSD and AlphaUSD) so
 * tests can pin a currency.
 */
import { type Address, bytesToHex, type Hex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { pathUsdAddress } from './abis'
import * as State from './state'
import * as Tip20 from './tip20'

/** Foundry's well-known development mnemonic. Never use it for real money. */
export const mnemonic = 'test test test test test test test test test test test junk'

export const alphaUsdAddress: Address = '0x20c0000000000000000000000000000000000001'

export const tokens = [
  { address: pathUsdAddress as Address, name: 'pathUSD', symbol: 'pathUSD' },
  { address: alphaUsdAddress, name: 'AlphaUSD', symbol: 'AlphaUSD' },
] as const

/** 1,000,000 of each token per development account (6 decimals). */
export const devAccountBalance = 1_000_000n * 10n ** 6n
/** What `tempo_fundAddress` sends of each token. */
export const faucetDrip = 1_000n * 10n ** 6n
const faucetBalance = 10n ** 15n * 10n ** 6n

export type DevAccount = { address: Address; privateKey: Hex }

function derive(addressIndex: number): DevAccount {
  const account = mnemonicToAccount(mnemonic, { addressIndex })
  return { address: account.address, privateKey: bytesToHex(account.getHdKey().privateKey!) }
}

let cachedAccounts: DevAccount[] | undefined
/** The ten development accounts (m/44'/60'/0'/0/0…9). Derivation is slow, so it happens once. */
export function devAccounts(): DevAccount[] {
  cachedAccounts ??= Array.from({ length: 10 }, (_, index) => derive(index))
  return cachedAccounts
}

let cachedFaucet: DevAccount | undefined
/** The faucet signs real transfers for `tempo_fundAddress`, so funding shows up as ordinary transactions. */
export function faucetAccount(): DevAccount {
  cachedFaucet ??= derive(1_000)
  return cachedFaucet
}

export function create(): State.WorldState {
  const state = State.empty()
  for (const token of tokens) {
    Tip20.create(state, token.address, { name: token.name, symbol: token.symbol })
    for (const account of devAccounts()) Tip20.mintAtGenesis(state, token.address, account.address, devAccountBalance)
    Tip20.mintAtGenesis(state, token.address, faucetAccount().address, faucetBalance)
  }
  return state
}
