/**
 * A small mppx server on node:http for tests: the seeds' photo route
 * ($0.01/photo) and SSE poem ($0.001/word), paid with Tempo sessions on a
 * given devnet. Written like the seed's Bun.serve variant (core mppx/server).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Mppx, Request as MppxRequest, Store, tempo } from 'mppx/server'
import { type Account, type Address, createClient, http } from 'viem'
import { poem, poemWords } from '@/demo/content'
import type { Devnet } from '@/devnet/index'

export { poem, poemWords } from '@/demo/content'

export type PaidSiteOptions = {
  devnet: Devnet
  /** Receives and settles payments. */
  recipient: Account
  currency: Address
  /** Sponsors the payer's channel transactions when set. */
  feePayer?: Account
  suggestedDeposit?: string
}

export async function startPaidSite(options: PaidSiteOptions) {
  const client = createClient({ chain: options.devnet.viemChain, transport: http(options.devnet.url) })
  const mppx = Mppx.create({
    secretKey: 'drip-test-secret-key-0123456789abcdef0123456789',
    methods: [
      tempo({
        currency: options.currency,
        recipient: options.recipient.address,
        account: options.recipient,
        ...(options.feePayer ? { feePayer: options.feePayer } : {}),
        sse: true,
        chainId: options.devnet.viemChain.id,
        getClient: () => client,
        store: Store.memory(),
      }),
    ],
  })
  const suggestedDeposit = options.suggestedDeposit ? { suggestedDeposit: options.suggestedDeposit } : {}

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname === '/photo') {
      const result = await mppx.session({ amount: '0.01', unitType: 'photo', ...suggestedDeposit })(request)
      if (result.status === 402) return result.challenge
      return result.withReceipt(Response.json({ url: `${url.origin}/photos/1.svg` }))
    }
    if (url.pathname === '/poem') {
      const result = await mppx.session({ amount: '0.001', unitType: 'word', ...suggestedDeposit })(request)
      if (result.status === 402) return result.challenge
      return result.withReceipt(async function* (stream: { charge(): Promise<void> }) {
        yield JSON.stringify({ title: poem.title, author: poem.author })
        for (const word of poemWords) {
          await stream.charge()
          yield word
        }
      } as never)
    }
    return new Response('Not found', { status: 404 })
  }

  const server: Server = createServer(MppxRequest.toNodeListener(handle))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    mppx,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
