/**
 * A real client nobody here wrote: the `mppx` CLI from node_modules pays the
 * demo's photo, streams its poem and closes the session; the payer gets
 * exactly deposit − spent back on chain.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { poem } from '@/demo/content'
import { repoRoot } from '../../support/browser/paths'
import { startDevnetAndDemo } from '../../support/demoSite'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
let stateHome: string
beforeAll(async () => {
  env = await startDevnetAndDemo()
  stateHome = await mkdtemp(join(tmpdir(), 'drip-mppx-cli-'))
})
afterAll(async () => {
  await env.stop()
  await rm(stateHome, { recursive: true, force: true })
})

/**
 * The CLI signs transactions that expire by its own clock, checked against the
 * devnet's, which runs in this process: the child keeps this process's clock
 * (its time zone, and the faked date of `npm run test:dates`).
 */
function sameClock(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => /^(TZ|LD_PRELOAD|FAKETIME\w*)$/.test(entry[0]) && entry[1] !== undefined))
}

async function mppx(args: string[]) {
  const payerKey = env.devnet.accounts[8]!.privateKey
  return promisify(execFile)(join(repoRoot, 'node_modules/.bin/mppx'), args, {
    env: {
      ...sameClock(),
      PATH: process.env.PATH,
      HOME: stateHome,
      XDG_STATE_HOME: stateHome,
      XDG_CONFIG_HOME: stateHome,
      MPPX_PRIVATE_KEY: payerKey,
      MPPX_RPC_URL: env.devnet.url,
    },
    timeout: 60_000,
  })
}

test('the mppx CLI pays a photo, streams the poem and closes; the refund is deposit − spent exactly', async () => {
  const payer = privateKeyToAccount(env.devnet.accounts[8]!.privateKey).address
  const photo = await mppx([`${env.demo.origin}/api/sessions/photo`, '--rpc-url', env.devnet.url])
  expect(JSON.parse(photo.stdout)).toEqual({ url: expect.stringMatching(/\/photos\/\d+\.svg$/) })

  const streamed = await mppx([`${env.demo.origin}/api/sessions/poem`, '--rpc-url', env.devnet.url])
  expect(streamed.stdout).toContain(JSON.stringify({ title: poem.title, author: poem.author }))
  expect(streamed.stdout.replace(/\s/g, '')).toContain(poem.lines.join('').replace(/\s/g, ''))

  const listed = JSON.parse((await mppx(['sessions', 'list', '--format', 'json'])).stdout)
  expect(listed.sessions).toHaveLength(1)
  const session = listed.sessions[0]
  const spent = BigInt(session.cumulativeAmount)
  expect(spent).toBe(10_000n + 42n * 1_000n) // one photo and 42 words
  const deposit = BigInt(session.deposit)

  const before = await env.devnet.balance(payer)
  const closeBlock = env.devnet.chain.latest.number
  const closed = await mppx(['sessions', 'close', '--all', '--yes'])
  expect(closed.stdout).toMatch(/closed/)
  const [event] = env.devnet.reserveEvents('ChannelClosed', closeBlock)
  expect(event!.args.settledToPayee).toBe(spent)
  expect(event!.args.refundedToPayer).toBe(deposit - spent)
  // The server sends the close, so the payer pays no fee: its balance rises by the refund alone.
  expect((await env.devnet.balance(payer)) - before).toBe(deposit - spent)
})
