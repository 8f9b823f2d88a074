/**
 * Closing a channel is how a reader takes back the unspent deposit; it is not
 * a way to stop paying a site (Revoke and Pause are). The approval stays, so
 * the site's next unit opens a new channel with no new question.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { startDevnetAndDemo } from '../../support/demoSite'
import { readerScope } from '../../support/readerScope'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
beforeAll(async () => void (env = await startDevnetAndDemo()))
afterAll(() => env.stop())
beforeEach(() => fakeBrowser.reset())

test('closing a channel (for the refund) keeps the approval: the next photo opens a new channel with no question', async () => {
  const photo = `${env.demo.origin}/api/sessions/photo`
  const reader = await readerScope(env.devnet, 2)
  await reader.approve(env.demo.origin, photo, '1')
  for (let i = 0; i < 2; i++) expect((await reader.paidFetch(env.demo.origin, photo)).response.status).toBe(200)
  const [first] = await reader.views()
  await reader.scope.lifecycle.close(env.demo.origin, first!.channelId)
  expect((await reader.paidFetch(env.demo.origin, photo)).response.status).toBe(200)
  expect(await reader.scope.approvals.pending()).toEqual([])
  const channels = await reader.views()
  expect(channels.map((c) => c.status).sort()).toEqual(['closed', 'open'])
  expect(channels.find((c) => c.status === 'open')).toMatchObject({ spent: '10000' })
})
