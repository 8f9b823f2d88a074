/**
 * Tempo session payments per site, through mppx. One mppx client per site,
 * with `maxDeposit` always the site's approval and the channel store
 * namespaced by account and origin. Drip checks every cumulative amount
 * against the approval before mppx signs, tops channels up inside the cap,
 * and closes them cooperatively (the server settles and refunds) or by force
 * (requestClose, the grace period, withdraw).
 */
import { Challenge as MppxChallenge, Receipt } from 'mppx'
import { entryKey, Mppx, tempo } from 'mppx/client'
import { type Address, type Client, formatUnits, type Hex, type LocalAccount, type Log, parseEventLogs } from 'viem'
import { getBlock, getTransactionReceipt, readContract } from 'viem/actions'
import { Channel } from 'ox/tempo'
import { Abis, Actions } from 'viem/tempo'
import type { Approvals } from './approvals'
import * as Challenge from './challenge'
import * as Channels from './channels'
import type { Ledger } from './ledger'
import * as Policy from './policy'
import { Serial } from './serial'

/** TIP-1034: a force close can withdraw this long after requestClose. */
export const closeGracePeriodSeconds = Number(Channel.closeGracePeriod)

export type SessionsOptions = {
  account: LocalAccount
  /** A viem client for a chain the user enabled (the challenge's chain). */
  getClient: (chainId: number) => Client | Promise<Client>
  approvals: Approvals
  ledger: Ledger
  /** For management POSTs and challenge re-fetches; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch
}

export type ChannelView = {
  origin: string
  channelId: Hex
  chainId: number
  currency: Address
  recipient: Address
  deposit: string
  spent: string
  remaining: string
  settled: string
  status: 'open' | 'closing' | 'closed'
  /** For a force close: chain time (seconds) when withdraw becomes possible. */
  withdrawableAt: number | undefined
  chainTime: number | undefined
  refunded: string | undefined
  resourceUrl: string | undefined
}

export class Sessions {
  private serial = new Serial()
  private clients = new Map<string, { maxDeposit: string; mppx: ReturnType<typeof createMppx> }>()
  private readonly fetch: typeof globalThis.fetch

  constructor(private readonly options: SessionsOptions) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  }

  get account(): Address {
    return this.options.account.address
  }

  /**
   * Builds the `Authorization: Payment …` value for a site's 402: opens the
   * channel the first time, tops it up inside the approval when the deposit
   * is spent, and otherwise signs the next voucher. Nothing is signed that
   * would exceed the approval.
   */
  pay(origin: string, challenge: Challenge.SessionChallenge, approval: Policy.Approval, resourceUrl: string): Promise<string> {
    return this.serial.run(origin, async () => {
      const open = await this.openChannel(origin, challenge)
      const next = (open?.cumulativeAmount ?? 0n) + challenge.amount
      Policy.assertWithinApproval(next, approval)
      const mppx = this.mppxFor(origin, approval)
      if (open && next > open.deposit) await this.topUp(origin, mppx, challenge, open, approval, resourceUrl, next)
      const authorization = await mppx.createCredential(challengeResponse(challenge))
      const after = await this.openChannel(origin, challenge)
      if (!after) throw new Error('mppx signed a credential but recorded no channel.')
      if (!open || open.channelId !== after.channelId) {
        await Channels.Metas.of(this.account).update(after.channelId, () => ({ origin, resourceUrl, openedAt: Date.now() }))
        await this.options.ledger.append({
          origin,
          kind: 'open',
          channelId: after.channelId,
          amount: after.deposit.toString(),
          cumulative: after.cumulativeAmount.toString(),
          detail: `Opened with a ${Policy.usd(after.deposit)} deposit (cap ${Policy.usd(BigInt(approval.maxDeposit))}).`,
        })
      } else
        await this.options.ledger.append({
          origin,
          kind: 'voucher',
          channelId: after.channelId,
          cumulative: after.cumulativeAmount.toString(),
          amount: challenge.amount.toString(),
        })
      return authorization
    })
  }

  /** The site's open channel for this challenge's terms, and how much is signed on it. */
  async signed(origin: string, challenge: Challenge.SessionChallenge): Promise<{ channelId: Hex; cumulative: bigint } | undefined> {
    const open = await this.openChannel(origin, challenge)
    return open && { channelId: open.channelId, cumulative: open.cumulativeAmount }
  }

  /**
   * Signs a voucher up to `cumulative` on the site's open channel and POSTs
   * it to the stream's URL, topping up inside the approval first if the
   * deposit is short. Amounts at or below what is already signed are a no-op.
   * Returns the cumulative now signed.
   */
  voucher(origin: string, challenge: Challenge.SessionChallenge, approval: Policy.Approval, cumulative: bigint, resourceUrl: string): Promise<bigint> {
    return this.serial.run(origin, async () => {
      const open = await this.openChannel(origin, challenge)
      if (!open) throw new Error(`${origin} has no open channel to pay this stream from.`)
      if (cumulative <= open.cumulativeAmount) return open.cumulativeAmount
      Policy.assertWithinApproval(cumulative, approval)
      const mppx = this.mppxFor(origin, approval)
      if (cumulative > open.deposit) await this.topUp(origin, mppx, challenge, open, approval, resourceUrl, cumulative)
      const response = await this.postManagement(mppx, resourceUrl, challenge, {
        action: 'voucher',
        channelId: open.channelId,
        descriptor: open.descriptor,
        cumulativeAmountRaw: cumulative.toString(),
      })
      await response.body?.cancel()
      if (!response.ok) throw new Error(`${origin} refused a voucher (HTTP ${response.status}).`)
      return cumulative
    })
  }

  /** Cooperative close: the server settles what was spent and the rest returns to the payer on chain. */
  close(origin: string, channelId: Hex): Promise<ChannelView> {
    return this.serial.run(origin, async () => {
      const { entry, meta } = await this.find(origin, channelId)
      if (!entry.opened) throw new Error('This channel is already closed.')
      if (!meta?.resourceUrl) throw new Error('Drip does not know where this channel was opened, so it cannot ask the site to close it. Use Force close.')
      const challenge = await this.freshChallenge(meta.resourceUrl)
      const mppx = createMppx(this.options, entry.deposit, Channels.storeFor(this.account, origin))
      const response = await this.postManagement(mppx, meta.resourceUrl, challenge, {
        action: 'close',
        channelId,
        descriptor: entry.descriptor,
        cumulativeAmountRaw: entry.cumulativeAmount.toString(),
      })
      if (!response.ok) throw new Error(`${origin} did not close the channel (HTTP ${response.status}). Try again later, or use Force close.`)
      const receipt = await this.closedReceipt(entry, response)
      await this.finish(origin, entry, receipt, 'close')
      return this.view(origin, channelId)
    })
  }

  /** Starts a unilateral close: after the grace period the payer can withdraw what is unspent. */
  requestClose(origin: string, channelId: Hex): Promise<ChannelView> {
    return this.serial.run(origin, async () => {
      const { entry } = await this.find(origin, channelId)
      const client = await this.options.getClient(entry.chainId)
      const result = await Actions.channel.requestCloseSync(client, { account: this.options.account, channel: entry.descriptor, nonceKey: 0n } as never)
      await this.options.ledger.append({
        origin,
        kind: 'requestClose',
        channelId,
        txHash: result.receipt.transactionHash,
        detail: `Withdrawable after chain time ${result.closeGraceEnd}.`,
      })
      return this.view(origin, channelId)
    })
  }

  withdraw(origin: string, channelId: Hex): Promise<ChannelView> {
    return this.serial.run(origin, async () => {
      const { entry } = await this.find(origin, channelId)
      const client = await this.options.getClient(entry.chainId)
      const result = await Actions.channel.withdrawSync(client, { account: this.options.account, channel: entry.descriptor, nonceKey: 0n } as never)
      await this.finish(origin, entry, result.receipt, 'withdraw')
      return this.view(origin, channelId)
    })
  }

  async views(): Promise<ChannelView[]> {
    const records = await Channels.list(this.account)
    return Promise.all(records.map((record) => this.describe(record)))
  }

  async view(origin: string, channelId: Hex): Promise<ChannelView> {
    const record = (await Channels.list(this.account)).find((r) => r.origin === origin && r.entry.channelId === channelId)
    if (!record) throw new Error('No such channel.')
    return this.describe(record)
  }

  private async describe({ origin, entry, meta }: Channels.ChannelRecord): Promise<ChannelView> {
    const closed = !entry.opened || meta?.closedAt !== undefined
    let settled = meta?.settledToPayee ?? '0'
    let withdrawableAt: number | undefined
    let chainTime: number | undefined
    if (!closed) {
      const client = await this.options.getClient(entry.chainId)
      const [onChain, block] = await Promise.all([
        readContract(client, {
          address: entry.escrow,
          abi: Abis.tip20ChannelReserve,
          functionName: 'getChannelState',
          args: [entry.channelId],
        }).catch(() => undefined),
        getBlock(client).catch(() => undefined),
      ])
      if (onChain) {
        settled = onChain.settled.toString()
        if (onChain.closeRequestedAt) withdrawableAt = onChain.closeRequestedAt + closeGracePeriodSeconds
      }
      chainTime = block ? Number(block.timestamp) : undefined
    }
    return {
      origin,
      channelId: entry.channelId,
      chainId: entry.chainId,
      currency: entry.descriptor.token,
      recipient: entry.descriptor.payee,
      deposit: entry.deposit.toString(),
      spent: entry.cumulativeAmount.toString(),
      remaining: (entry.deposit - entry.cumulativeAmount).toString(),
      settled,
      status: closed ? 'closed' : withdrawableAt !== undefined ? 'closing' : 'open',
      withdrawableAt,
      chainTime,
      refunded: meta?.refunded,
      resourceUrl: meta?.resourceUrl,
    }
  }

  /**
   * The site's open channel for this challenge's payee, currency and chain, if
   * any. One storage read: it runs for every voucher.
   */
  private async openChannel(origin: string, challenge: Challenge.SessionChallenge): Promise<Channels.Entry | undefined> {
    const entry = await Channels.storeFor(this.account, origin).get(
      Channels.keyFor({ payee: challenge.recipient, token: challenge.currency, escrow: challenge.escrow, chainId: challenge.chainId }),
    )
    return entry?.opened ? entry : undefined
  }

  private async find(origin: string, channelId: Hex) {
    const record = (await Channels.list(this.account)).find((r) => r.origin === origin && r.entry.channelId.toLowerCase() === channelId.toLowerCase())
    if (!record) throw new Error(`No channel ${channelId} for ${origin}.`)
    return record
  }

  private mppxFor(origin: string, approval: Policy.Approval) {
    const cached = this.clients.get(origin)
    if (cached && cached.maxDeposit === approval.maxDeposit) return cached.mppx
    const mppx = createMppx(this.options, BigInt(approval.maxDeposit), Channels.storeFor(this.account, origin))
    this.clients.set(origin, { maxDeposit: approval.maxDeposit, mppx })
    return mppx
  }

  /** Adds deposit before a voucher would pass it: the site's suggestion, at least the shortfall, never past the cap. */
  private async topUp(
    origin: string,
    mppx: ReturnType<typeof createMppx>,
    challenge: Challenge.SessionChallenge,
    open: Channels.Entry,
    approval: Policy.Approval,
    resourceUrl: string,
    required: bigint,
  ) {
    const shortfall = required - open.deposit
    const preferred = challenge.suggestedDeposit ?? shortfall
    const remaining = BigInt(approval.maxDeposit) - open.deposit
    const wanted = preferred > shortfall ? preferred : shortfall
    const additional = wanted < remaining ? wanted : remaining
    Policy.assertWithinApproval(open.deposit + additional, approval)
    const response = await this.postManagement(mppx, resourceUrl, challenge, {
      action: 'topUp',
      channelId: open.channelId,
      descriptor: open.descriptor,
      additionalDepositRaw: additional.toString(),
    })
    if (!response.ok) throw new Error(`${origin} refused the top-up (HTTP ${response.status}).`)
    const store = Channels.storeFor(this.account, origin)
    const current = (await store.get(entryKey(open))) ?? open
    await store.set({ ...current, deposit: current.deposit + additional })
    await this.options.ledger.append({
      origin,
      kind: 'topUp',
      channelId: open.channelId,
      amount: additional.toString(),
      detail: `Deposit raised to ${Policy.usd(current.deposit + additional)}.`,
    })
  }

  /**
   * POSTs a top-up or close credential to the resource URL. Servers may scope
   * challenges to the request method, so a 402 answer carries the challenge
   * for POST: build the credential again for that one and retry once.
   */
  private async postManagement(
    mppx: ReturnType<typeof createMppx>,
    url: string,
    challenge: Challenge.SessionChallenge,
    context: Record<string, unknown>,
  ): Promise<Response> {
    const post = async (response402: Response) =>
      this.fetch(url, { method: 'POST', headers: { authorization: await mppx.createCredential(response402, context as never) } })
    const response = await post(challengeResponse(challenge))
    if (response.status !== 402) return response
    await response.body?.cancel()
    return post(new Response(null, { status: 402, headers: { 'www-authenticate': response.headers.get('www-authenticate') ?? '' } }))
  }

  private async freshChallenge(resourceUrl: string): Promise<Challenge.SessionChallenge> {
    const response = await this.fetch(resourceUrl, { headers: { accept: 'application/json' } })
    await response.body?.cancel()
    if (response.status !== 402) throw new Error(`${resourceUrl} answered HTTP ${response.status}, not a 402 challenge.`)
    return Challenge.parse(response.headers.get('www-authenticate'))
  }

  /** Finds the close transaction from the server's receipt header and reads the on-chain outcome. */
  private async closedReceipt(entry: Channels.Entry, response: Response): Promise<ChainReceipt | undefined> {
    const header = response.headers.get('payment-receipt')
    if (!header) return undefined
    const txHash = (Receipt.deserialize(header) as { txHash?: Hex }).txHash
    if (!txHash) return undefined
    return getTransactionReceipt(await this.options.getClient(entry.chainId), { hash: txHash })
  }

  private async finish(origin: string, entry: Channels.Entry, receipt: ChainReceipt | undefined, kind: 'close' | 'withdraw') {
    const [event] = receipt ? parseEventLogs({ abi: Abis.tip20ChannelReserve, eventName: 'ChannelClosed', logs: receipt.logs }) : []
    const refunded = event?.args.refundedToPayer
    const settledToPayee = event?.args.settledToPayee
    await Channels.storeFor(this.account, origin).set({ ...entry, opened: false })
    await Channels.Metas.of(this.account).update(entry.channelId, (meta) => ({
      origin,
      resourceUrl: meta?.resourceUrl ?? '',
      openedAt: meta?.openedAt ?? 0,
      closedAt: Date.now(),
      refunded: refunded?.toString(),
      settledToPayee: settledToPayee?.toString(),
    }))
    await this.options.ledger.append({
      origin,
      kind,
      channelId: entry.channelId,
      amount: refunded?.toString(),
      cumulative: entry.cumulativeAmount.toString(),
      txHash: receipt?.transactionHash,
      detail:
        refunded === undefined
          ? 'Closed.'
          : `Refunded ${Policy.usd(refunded)}; ${Policy.usd(settledToPayee ?? 0n)} went to the site.`,
    })
  }
}

function createMppx(options: SessionsOptions, maxDeposit: bigint, channelStore: ReturnType<typeof Channels.storeFor>) {
  return Mppx.create({
    polyfill: false,
    methods: [
      tempo.session({
        account: options.account,
        maxDeposit: formatUnits(maxDeposit, Policy.decimals),
        channelStore,
        getClient: ({ chainId }) => options.getClient(chainId!),
      }),
    ],
  })
}

type ChainReceipt = { logs: Log[]; transactionHash: Hex }

/** mppx reads challenges from a Response; this is the 402 the page or stream received. */
function challengeResponse(challenge: Challenge.SessionChallenge): Response {
  return new Response(null, { status: 402, headers: { 'www-authenticate': MppxChallenge.serialize(challenge.challenge) } })
}
