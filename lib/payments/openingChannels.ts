/**
 * A channel Drip signed an open for is "opening" until the chain has it.
 * The site broadcasts the open; if the page that carried it went away first
 * (a reload right after Approve), the site may never have had it, and a
 * voucher on that channel would get the site's 410 for good. So before
 * paying on an opening channel Drip asks the chain: there, it is open. An
 * open signed less than `openLandsMs` ago may still be on its way (the site
 * broadcasts it and waits for it): Drip watches the chain until then. Still
 * not there while the open can land (its transaction is valid for 25 s),
 * the same open is offered again (one transaction, it lands once); not
 * there after that, the open never will land: the record is closed as never
 * opened, the budgets get its amount back, and the next payment opens a new
 * channel. The popup shows a channel only once the chain has it.
 */
import type { Opening } from '@/lib/storage/records'
import { type Client, type Hex } from 'viem'
import { getBlock } from 'viem/actions'
import { Actions } from 'viem/tempo'
import type { BudgetBook } from './budgetBook'
import type { ChannelRecord, ChannelRecords } from './channelRecords'
import type { Ledger } from './ledger'

/** How long an open transaction can land after it is signed: viem's expiring nonce (`validBefore` = now + 25 s). */
export const openValidSeconds = 25

/**
 * How long an open the site may be broadcasting is given to reach the chain before it is offered again: offered
 * while the site's own broadcast is under way, the site fails the second (HTTP 500), seen 50 ms after a page began
 * its open (chromium.reloads e2e).
 */
export const openLandsMs = 3_000

/** How often the chain is asked meanwhile. */
const pollMs = 250

export type { Opening } from '@/lib/storage/records'

export function openingOf(credential: string, cumulative: bigint, now = Date.now()): Opening {
  return { credential, cumulative: cumulative.toString(), validBefore: Math.floor(now / 1000) + openValidSeconds, signedAt: now }
}

export type OpeningDeps = {
  getClient: (chainId: number) => Client | Promise<Client>
  records: ChannelRecords
  ledger: Ledger
  budgets: BudgetBook
}

export type OpeningState = { kind: 'open'; record: ChannelRecord } | { kind: 'opening'; opening: Opening } | { kind: 'never opened' }

/** Where an opening channel stands, from the chain; a channel the chain has stops being opening. */
export async function settle(deps: OpeningDeps, record: ChannelRecord & { opening: Opening }): Promise<OpeningState> {
  const client = await deps.getClient(record.chainId)
  const onChain = async () => ((await Actions.channel.getStates(client, { channel: [record.channelId] }))[0]?.deposit ?? 0n) > 0n
  const landsBy = (record.opening.signedAt ?? 0) + openLandsMs
  let found = await onChain()
  while (!found && Date.now() < landsBy) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, landsBy - Date.now())))
    found = await onChain()
  }
  if (found) return { kind: 'open', record: (await confirmed(deps.records, record.channelId)) ?? { ...record, opening: undefined } }
  const block = await getBlock(client)
  if (block.timestamp <= BigInt(record.opening.validBefore)) return { kind: 'opening', opening: record.opening }
  await deps.records.update(record.channelId, (current) => current && { ...current, opening: undefined, status: 'closed', closedAt: Date.now(), neverOpened: true })
  await deps.budgets.release(record.origin, BigInt(record.cumulative))
  await deps.ledger.append({
    origin: record.origin,
    kind: 'refused',
    channelId: record.channelId,
    detail: 'A channel open never reached the chain (the page that carried it went away first); nothing was taken, and the next payment opens a new one.',
  })
  return { kind: 'never opened' }
}

/** The site answered the request that carried the open, or the chain has the channel: it is open. */
export function confirmed(records: ChannelRecords, channelId: Hex) {
  return records.update(channelId, (current) => current && (current.opening ? { ...current, opening: undefined } : current))
}
