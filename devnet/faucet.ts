/**
 * `tempo_fundAddress`: the faucet account signs one ordinary Tempo transfer
 * per stablecoin, so funding has hashes and receipts like any transaction.
 */
import { Secp256k1 } from 'ox'
import { SignatureEnvelope, TxEnvelopeTempo } from 'ox/tempo'
import { type Address, encodeFunctionData, type Hex } from 'viem'
import { tip20Abi } from './abis'
import { baseFeePerGas, type Chain, chainId } from './chain'
import * as Genesis from './genesis'
import * as Transactions from './transactions'

export function fund(chain: Chain, recipient: Address): Hex[] {
  const faucet = Genesis.faucetAccount()
  let nonce = chain.nextNonce(faucet.address)
  return Genesis.tokens.map((token) => {
    const envelope = TxEnvelopeTempo.from({
      chainId,
      calls: [
        {
          to: token.address,
          data: encodeFunctionData({ abi: tip20Abi, functionName: 'transfer', args: [recipient, Genesis.faucetDrip] }),
        },
      ],
      nonce: nonce++,
      nonceKey: 0n,
      gas: 100_000n,
      maxFeePerGas: baseFeePerGas,
      maxPriorityFeePerGas: 0n,
      feeToken: token.address,
    })
    const signature = Secp256k1.sign({ payload: TxEnvelopeTempo.getSignPayload(envelope), privateKey: faucet.privateKey })
    const raw = TxEnvelopeTempo.serialize(envelope, { signature: SignatureEnvelope.from(signature) })
    return chain.submit(Transactions.decode(raw))
  })
}
