/**
 * A page's paid WebSocket as the background holds it (`PaidSocket.start`),
 * against the demo's live ticker (mppx `Ws.serve`) on the devnet: every
 * tick relayed, vouchers in-band for exactly what was delivered (plus the
 * lookahead), and closing stops vouchers at once.
 */
import { WebSocket } from 'ws'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import type { SocketReport } from '@/lib/protocol/socketPort'
import * as Policy from '@/lib/payments/policy'
import * as PaidSocket from '@/lib/streams/paidSocket'
import { startDevnetAndDemo } from '../../support/demoSite'
import { waitUntil } from '../../support/pages/driver'
import { readerScope } from '../../support/readerScope'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
beforeAll(async () => void (env = await startDevnetAndDemo()))
afterAll(() => env.stop())
beforeEach(() => fakeBrowser.reset())

const probeUrl = () => `${env.demo.origin}/api/sessions/ticker`
const socketUrl = (ticks: number) => new URL(`${env.demo.origin.replace('http:', 'ws:')}/api/sessions/ticker?ticks=${ticks}`)

async function tickerReader(accountIndex: number) {
  const reader = await readerScope(env.devnet, accountIndex)
  const { challenge, approval } = await reader.approve(env.demo.origin, probeUrl(), '1')
  const deps = { payer: reader.scope.payer, ledger: reader.scope.ledger, fetch: reader.scope.fetch, WebSocket: WebSocket as unknown as PaidSocket.SocketConstructor }
  const signed = async () => (await reader.scope.payer.signed(env.demo.origin, challenge))?.cumulative ?? 0n
  return { reader, challenge, approval, deps, signed }
}

describe('a paid WebSocket (mppx Ws.serve)', () => {
  test.each([0, 5])('20 ticks with a lookahead of %i: all 20 relayed in order, 20 × $0.001 signed', async (lookaheadUnits) => {
    const { challenge, approval, deps, signed } = await tickerReader(lookaheadUnits === 0 ? 2 : 3)
    const reports: SocketReport[] = []
    const session = PaidSocket.start(
      deps,
      { origin: env.demo.origin, url: socketUrl(20), protocols: [], challenge, approval, lookaheadUnits, signal: new AbortController().signal },
      (report) => void reports.push(report),
    )
    const end = await session.done
    expect(end?.reason, end?.message).toBe('complete')
    expect(reports[0]).toEqual({ type: 'open', protocol: '' })
    const ticks = reports.filter((r) => r.type === 'message').map((r) => JSON.parse((r.data as { text: string }).text).tick)
    expect(ticks).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(reports.at(-1)).toEqual({ type: 'close', code: 1000, reason: '', wasClean: true })
    // The site asks for each tick before it sends it; the lookahead signs ahead of asks, never past delivered + lookahead.
    const total = await signed()
    expect(total).toBeGreaterThanOrEqual(20_000n)
    expect(total).toBeLessThanOrEqual(BigInt(20 + lookaheadUnits) * 1_000n)
    if (lookaheadUnits === 0) expect(total).toBe(20_000n)
  })

  test('closing after 5 ticks stops vouchers at once: nothing more is signed', async () => {
    const { challenge, approval, deps, signed } = await tickerReader(4)
    const controller = new AbortController()
    let ticks = 0
    const session = PaidSocket.start(
      deps,
      { origin: env.demo.origin, url: socketUrl(200), protocols: [], challenge, approval, lookaheadUnits: 0, signal: controller.signal },
      (report) => {
        if (report.type === 'message' && ++ticks === 5) controller.abort()
      },
    )
    await session.done
    const atClose = await signed()
    // Once the site has seen the socket close, nothing can ask for another voucher.
    await waitUntil(async () => env.demo.openSockets(), (open) => open === 0, { what: 'the site to see the socket close' })
    expect(await signed()).toBe(atClose)
    expect(atClose).toBeLessThanOrEqual(6_000n)
    expect(ticks).toBeLessThanOrEqual(6)
  })

  test('a cap of $0.01 ends the session after 10 ticks, with the reason', async () => {
    const { reader, challenge, deps, signed, approval: approved } = await tickerReader(5)
    // The reader lowers the site's cap in Sites (approving a request never lowers it).
    const approval = Policy.withMaxDeposit(approved, 10_000n)
    await reader.scope.approvals.grant(approval)
    const reports: SocketReport[] = []
    const session = PaidSocket.start(
      deps,
      { origin: env.demo.origin, url: socketUrl(50), protocols: [], challenge, approval, lookaheadUnits: 0, signal: new AbortController().signal },
      (report) => void reports.push(report),
    )
    const end = await session.done
    expect(end?.reason).toBe('cap')
    expect(reports.filter((r) => r.type === 'message')).toHaveLength(10)
    expect(reports.at(-1)).toMatchObject({ type: 'close', code: 1011, wasClean: false })
    expect(await signed()).toBe(10_000n)
  })
})
