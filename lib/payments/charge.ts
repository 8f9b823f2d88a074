/**
 * One-shot charges (`intent="charge"`): the `Authorization: Payment …`
 * value is a signed TIP-20 transfer of the challenge's amount to the
 * approved recipient, which the site broadcasts. It is counted against the
 * site's cap (with what its channel carries) before it is signed, and
 * uncounted if mppx could not sign it. The payer runs it in the site's turn
 * (`payer.ts`).
 */
import { Credential } from 'mppx'
import { tempo } from 'mppx/client'
import { type Client, type Hex, isHex, keccak256, type LocalAccount } from 'viem'
import * as Challenge from './challenge'
import { type ChannelRecords, keyFor } from './channelRecords'
import type { Ledger } from './ledger'
import * as Policy from './policy'
import { approvalNow, type SigningGateDeps, withinBudget } from './signingGate'

export type ChargeDeps = SigningGateDeps & {
  signer: () => Promise<LocalAccount>
  getClient: (chainId: number) => Client | Promise<Client>
  records: ChannelRecords
  ledger: Ledger
}

export async function signCharge(deps: ChargeDeps, origin: string, challenge: Challenge.ChargeChallenge): Promise<{ authorization: string }> {
  const approval = await approvalNow(deps, origin, challenge)
  const channel = await deps.records.openFor(origin, keyFor({ payee: approval.recipient, token: approval.currency, escrow: Challenge.canonicalEscrow, chainId: approval.chainId }))
  const withinCap = (current: Policy.Approval | undefined) => {
    const decision = Policy.decide(challenge, current)
    if (decision.kind !== 'pay') throw new Challenge.RefusedError('revoked', decision.reason ?? `${origin} is not approved in Drip any more.`)
    Policy.assertNotPaused(decision.approval)
    Policy.assertChargeWithinApproval(challenge.amount, BigInt(channel?.cumulative ?? '0'), decision.approval)
    return decision.approval
  }
  withinCap(approval)
  const authorization = await withinBudget(deps, origin, challenge.amount, async (counted) => {
    // Counted before it is signed: a charge is never offered again, so one signed and not counted would stay uncounted.
    await counted
    const account = await deps.signer()
    await deps.approvals.recordCharge(origin, challenge.amount, withinCap)
    try {
      const method = tempo.charge({
        account,
        getClient: ({ chainId }) => deps.getClient(chainId!),
        expectedChainId: approval.chainId,
        expectedRecipients: [approval.recipient],
        mode: 'pull',
      })
      return await method.createCredential({ challenge: challenge.challenge, context: {} } as never)
    } catch (error) {
      await deps.approvals.recordCharge(origin, -challenge.amount, (current) => current ?? approval)
      throw error
    }
  })
  await deps.ledger.append({
    origin,
    kind: 'charge',
    amount: challenge.amount.toString(),
    ...chargeTransaction(authorization, challenge),
    detail: challenge.description ? `One-time payment: ${challenge.description}` : 'One-time payment.',
  })
  return { authorization }
}

/** The hash of the transfer Drip signed for a charge, when the site broadcasts it as signed (no fee payer co-signs it). */
function chargeTransaction(authorization: string, challenge: Challenge.ChargeChallenge): { txHash?: Hex } {
  const details = (challenge.challenge.request as { methodDetails?: { feePayer?: unknown } }).methodDetails
  const payload = Credential.deserialize(authorization).payload as { type?: unknown; signature?: unknown }
  if (details?.feePayer || payload.type !== 'transaction' || typeof payload.signature !== 'string' || !isHex(payload.signature)) return {}
  return { txHash: keccak256(payload.signature) }
}
