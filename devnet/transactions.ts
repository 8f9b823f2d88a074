/**
 * Decodes raw transactions the devnet accepts: Tempo (0x76, batched calls,
 * nonce keys, expiring nonces, fee token, fee payer), EIP-1559 and legacy.
 * Decoding and sender recovery are ox's; this module only normalizes.
 */
import { Hash, Hex, Secp256k1, Signature, TxEnvelopeEip1559, TxEnvelopeLegacy } from 'ox'
import { TxEnvelopeTempo } from 'ox/tempo'
import type { Address } from 'viem'

/** TIP-1009: nonce key 2^256−1 selects an expiring nonce. */
export const expiringNonceKey = (1n << 256n) - 1n

export type Call = { to: Address | undefined; data: Hex.Hex; value: bigint }

export type Decoded = {
  kind: 'tempo' | 'eip1559' | 'legacy'
  raw: Hex.Hex
  hash: Hex.Hex
  from: Address
  chainId: number | undefined
  nonce: bigint
  nonceKey: bigint
  gas: bigint
  maxFeePerGas: bigint
  maxPriorityFeePerGas: bigint
  calls: Call[]
  feeToken: Address | undefined
  /** The sponsor that signed to pay fees, when there is one. */
  feePayer: Address | undefined
  validAfter: number | undefined
  validBefore: number | undefined
  /**
   * `keccak256(encodeForSigning || sender)`: the TIP-1009 replay key for
   * expiring nonces and the context hash TIP-1034 `open` binds into channel ids.
   */
  expiringNonceHash: Hex.Hex
  envelope: TxEnvelopeTempo.TxEnvelopeTempo | TxEnvelopeEip1559.TxEnvelopeEip1559 | TxEnvelopeLegacy.TxEnvelopeLegacy
}

export class InvalidTransactionError extends Error {
  override name = 'InvalidTransactionError'
}

export function decode(raw: Hex.Hex): Decoded {
  const type = raw.slice(0, 4).toLowerCase()
  try {
    if (type === TxEnvelopeTempo.serializedType) return decodeTempo(raw)
    if (type === TxEnvelopeTempo.feePayerMagic)
      throw new InvalidTransactionError(
        'This is a fee-payer envelope (0x78): the sponsor must sign it and send the 0x76 transaction.',
      )
    if (type === '0x02') return decodeEip1559(raw)
    if (Number.parseInt(type.slice(2), 16) >= 0xc0) return decodeLegacy(raw)
  } catch (error) {
    if (error instanceof InvalidTransactionError) throw error
    throw new InvalidTransactionError(`Could not decode transaction: ${(error as Error).message.split('\n')[0]}`)
  }
  throw new InvalidTransactionError(`Unsupported transaction type ${type}.`)
}

function decodeTempo(raw: Hex.Hex): Decoded {
  const envelope = TxEnvelopeTempo.deserialize(raw as TxEnvelopeTempo.Serialized)
  if (!envelope.signature || !envelope.from) throw new InvalidTransactionError('Transaction is not signed.')
  const from = envelope.from as Address
  if (envelope.feePayerSignature === null)
    throw new InvalidTransactionError('Transaction asks for a fee payer, but no fee payer has signed it.')
  const feePayer = envelope.feePayerSignature
    ? (Secp256k1.recoverAddress({
        payload: TxEnvelopeTempo.getFeePayerSignPayload(envelope, { sender: from }),
        signature: envelope.feePayerSignature,
      }) as Address)
    : undefined
  if (envelope.calls.length === 0) throw new InvalidTransactionError('Tempo transaction has no calls.')
  return {
    kind: 'tempo',
    raw,
    hash: Hash.keccak256(raw),
    from,
    chainId: envelope.chainId,
    nonce: envelope.nonce ?? 0n,
    nonceKey: envelope.nonceKey ?? 0n,
    gas: envelope.gas ?? 0n,
    maxFeePerGas: envelope.maxFeePerGas ?? 0n,
    maxPriorityFeePerGas: envelope.maxPriorityFeePerGas ?? 0n,
    calls: envelope.calls.map((call) => ({
      to: call.to as Address | undefined,
      data: call.data ?? '0x',
      value: call.value ?? 0n,
    })),
    feeToken: typeof envelope.feeToken === 'string' ? (envelope.feeToken as Address) : undefined,
    feePayer,
    validAfter: envelope.validAfter,
    validBefore: envelope.validBefore,
    expiringNonceHash: Hash.keccak256(Hex.concat(TxEnvelopeTempo.encodeForSigning(envelope), from)),
    envelope,
  }
}

function decodeEip1559(raw: Hex.Hex): Decoded {
  const envelope = TxEnvelopeEip1559.deserialize(raw as TxEnvelopeEip1559.Serialized)
  const signature = Signature.extract(envelope)
  if (!signature) throw new InvalidTransactionError('Transaction is not signed.')
  const from = Secp256k1.recoverAddress({ payload: TxEnvelopeEip1559.getSignPayload(envelope), signature }) as Address
  return {
    ...ethereumFields(raw, envelope, from, TxEnvelopeEip1559.serialize({ ...envelope, r: undefined, s: undefined, yParity: undefined } as never)),
    kind: 'eip1559',
    chainId: envelope.chainId,
    maxFeePerGas: envelope.maxFeePerGas ?? 0n,
    maxPriorityFeePerGas: envelope.maxPriorityFeePerGas ?? 0n,
  }
}

function decodeLegacy(raw: Hex.Hex): Decoded {
  const envelope = TxEnvelopeLegacy.deserialize(raw)
  const signature = Signature.extract(envelope)
  if (!signature) throw new InvalidTransactionError('Transaction is not signed.')
  const from = Secp256k1.recoverAddress({ payload: TxEnvelopeLegacy.getSignPayload(envelope), signature }) as Address
  return {
    ...ethereumFields(raw, envelope, from, TxEnvelopeLegacy.serialize({ ...envelope, r: undefined, s: undefined, v: undefined, yParity: undefined } as never)),
    kind: 'legacy',
    chainId: envelope.chainId,
    maxFeePerGas: envelope.gasPrice ?? 0n,
    maxPriorityFeePerGas: envelope.gasPrice ?? 0n,
  }
}

function ethereumFields(
  raw: Hex.Hex,
  envelope: TxEnvelopeEip1559.TxEnvelopeEip1559 | TxEnvelopeLegacy.TxEnvelopeLegacy,
  from: Address,
  unsigned: Hex.Hex,
) {
  return {
    raw,
    hash: Hash.keccak256(raw),
    from,
    nonce: envelope.nonce ?? 0n,
    nonceKey: 0n,
    gas: envelope.gas ?? 0n,
    calls: [{ to: envelope.to as Address | undefined, data: envelope.data ?? envelope.input ?? '0x', value: envelope.value ?? 0n }],
    feeToken: undefined,
    feePayer: undefined,
    validAfter: undefined,
    validBefore: undefined,
    expiringNonceHash: Hash.keccak256(Hex.concat(unsigned, from)),
    envelope: { ...envelope, from },
  }
}
