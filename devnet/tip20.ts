/**
 * TIP-20 stablecoins (6 decimals): balances, allowances, transfers and the
 * TIP-20 custom errors. Deposits into the channel reserve go through
 * `systemTransfer`, which needs no allowance.
 */
import { type Address, decodeFunctionData, encodeFunctionResult, type Hex, maxUint256, zeroAddress } from 'viem'
import { isTip20Address, pathUsdAddress, tip20Abi } from './abis'
import { type CallContext, type CallResult, emit, revert } from './execution'
import { key, type TokenState, type WorldState } from './state'

export const decimals = 6

/** Gas charged per TIP-20 function, on top of the transaction's intrinsic gas. */
const gasCost = { view: 2_600n, transfer: 30_000n, approve: 25_000n, transferFrom: 35_000n } as const

export function create(state: WorldState, address: Address, metadata: { name: string; symbol: string; currency?: string }) {
  state.tokens.set(key(address), {
    name: metadata.name,
    symbol: metadata.symbol,
    currency: metadata.currency ?? 'USD',
    totalSupply: 0n,
    balances: new Map(),
    allowances: new Map(),
  })
}

/** Creates supply out of thin air: genesis allocations only. */
export function mintAtGenesis(state: WorldState, token: Address, to: Address, amount: bigint) {
  const ledger = tokenAt(state, token)
  ledger.totalSupply += amount
  ledger.balances.set(key(to), (ledger.balances.get(key(to)) ?? 0n) + amount)
}

function tokenAt(state: WorldState, token: Address): TokenState {
  const ledger = state.tokens.get(key(token))
  if (!ledger) throw new Error(`No TIP-20 token at ${token}`)
  return ledger
}

export function exists(state: WorldState, token: Address): boolean {
  return state.tokens.has(key(token))
}

/**
 * Moves `amount` from `from` to `to` and emits Transfer. Used by `transfer`,
 * `transferFrom`, the channel reserve and fee collection alike.
 */
export function systemTransfer(ctx: CallContext, token: Address, from: Address, to: Address, amount: bigint) {
  const ledger = ctx.state.tokens.get(key(token))
  if (!ledger) revert(tip20Abi, 'InvalidToken')
  if (to === zeroAddress || isTip20Address(to)) revert(tip20Abi, 'InvalidRecipient')
  const available = ledger.balances.get(key(from)) ?? 0n
  if (available < amount) revert(tip20Abi, 'InsufficientBalance', available, amount, token)
  ledger.balances.set(key(from), available - amount)
  ledger.balances.set(key(to), (ledger.balances.get(key(to)) ?? 0n) + amount)
  emit(ctx, token, tip20Abi, 'Transfer', { from, to, amount })
}

export function call(ctx: CallContext, token: Address, data: Hex): CallResult {
  const ledger = ctx.state.tokens.get(key(token))
  if (!ledger) return { output: '0x', gas: 0n } // no code at this address: an empty success, as in the EVM
  let decoded
  try {
    decoded = decodeFunctionData({ abi: tip20Abi, data })
  } catch {
    revert(tip20Abi, 'InvalidPayload')
  }
  const result = (value: unknown, gas: bigint = gasCost.view): CallResult => ({
    output: encodeFunctionResult({ abi: tip20Abi, functionName: decoded.functionName, result: value } as never),
    gas,
  })
  switch (decoded.functionName) {
    case 'name':
      return result(ledger.name)
    case 'symbol':
      return result(ledger.symbol)
    case 'decimals':
      return result(decimals)
    case 'currency':
      return result(ledger.currency)
    case 'totalSupply':
      return result(ledger.totalSupply)
    // Read-only metadata viem's getMetadata asks for. Every devnet token quotes
    // against pathUSD, is uncapped and unpaused, and uses TIP-403 policy 1 (always allow).
    case 'quoteToken':
    case 'nextQuoteToken':
      return result(key(token) === key(pathUsdAddress) ? zeroAddress : pathUsdAddress)
    case 'supplyCap':
      return result((1n << 128n) - 1n)
    case 'paused':
      return result(false)
    case 'transferPolicyId':
      return result(1n)
    case 'logoURI':
      return result('')
    case 'balanceOf':
      return result(ledger.balances.get(key(decoded.args[0])) ?? 0n)
    case 'allowance':
      return result(ledger.allowances.get(`${key(decoded.args[0])}:${key(decoded.args[1])}`) ?? 0n)
    case 'transfer': {
      const [to, amount] = decoded.args
      systemTransfer(ctx, token, ctx.sender, to, amount)
      return result(true, gasCost.transfer)
    }
    // One-shot charges (mppx `tempo.charge`) carry the challenge's attribution in the memo.
    case 'transferWithMemo': {
      const [to, amount, memo] = decoded.args
      systemTransfer(ctx, token, ctx.sender, to, amount)
      emit(ctx, token, tip20Abi, 'TransferWithMemo', { from: ctx.sender, to, amount, memo })
      return result(true, gasCost.transfer)
    }
    case 'approve': {
      const [spender, amount] = decoded.args
      ledger.allowances.set(`${key(ctx.sender)}:${key(spender)}`, amount)
      emit(ctx, token, tip20Abi, 'Approval', { owner: ctx.sender, spender, amount })
      return result(true, gasCost.approve)
    }
    case 'transferFrom': {
      const [from, to, amount] = decoded.args
      const allowanceKey = `${key(from)}:${key(ctx.sender)}`
      const allowance = ledger.allowances.get(allowanceKey) ?? 0n
      if (allowance < amount) revert(tip20Abi, 'InsufficientAllowance')
      if (allowance !== maxUint256) ledger.allowances.set(allowanceKey, allowance - amount)
      systemTransfer(ctx, token, from, to, amount)
      return result(true, gasCost.transferFrom)
    }
    default:
      // The devnet implements the payment surface of TIP-20, not issuance, roles or rewards.
      revert(tip20Abi, 'Unauthorized')
  }
}
