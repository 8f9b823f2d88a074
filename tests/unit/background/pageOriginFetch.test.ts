/** A paid request for a page of another origin leaves with that page's Origin, set by a session rule that lives only while it is asked. */
import { describe, expect, test } from 'vitest'
import { withPageOrigin } from '@/lib/background/pageOriginFetch'

type Update = { removeRuleIds?: number[]; addRules?: { id: number; action: unknown; condition: unknown }[] }

function fakeRules(options: { leftovers?: number[]; failAdd?: boolean } = {}) {
  const active = new Map<number, Update['addRules'] extends (infer R)[] | undefined ? R : never>()
  for (const id of options.leftovers ?? []) active.set(id, { id, action: {}, condition: {} })
  const updates: Update[] = []
  return {
    active,
    updates,
    getSessionRules: async () => [...active.values()],
    updateSessionRules: async (update: Update) => {
      updates.push(update)
      for (const id of update.removeRuleIds ?? []) active.delete(id)
      if (update.addRules && options.failAdd) throw new Error('rule refused')
      for (const rule of update.addRules ?? []) active.set(rule.id, rule)
    },
  }
}

describe('withPageOrigin', () => {
  test('no Origin asked: the fetch goes as it is, no rule', async () => {
    const rules = fakeRules()
    const seen: (HeadersInit | undefined)[] = []
    const fetch = withPageOrigin(async (_input, init) => (seen.push(init?.headers), new Response('ok')), rules as never)
    await fetch('https://api.example/photo', { headers: { accept: 'application/json' } })
    expect(rules.updates).toEqual([])
    expect(seen).toEqual([{ accept: 'application/json' }])
  })

  test('Origin asked: a rule for that site sets it while the request is made, then goes; the header itself is not sent by script', async () => {
    const rules = fakeRules({ leftovers: [41] })
    let during: unknown[] = []
    let sentOrigin: string | null = 'unset'
    const fetch = withPageOrigin(async (_input, init) => {
      during = [...rules.active.values()]
      sentOrigin = new Headers(init?.headers).get('origin')
      return new Response('ok')
    }, rules as never)
    await fetch('https://api.example/photo?id=1', { headers: { origin: 'https://reader.page', accept: 'image/*' } })
    expect(sentOrigin).toBeNull()
    expect(during).toEqual([
      {
        id: 1,
        priority: 1,
        action: { type: 'modifyHeaders', requestHeaders: [{ header: 'origin', operation: 'set', value: 'https://reader.page' }] },
        condition: { urlFilter: '|https://api.example/', tabIds: [-1] },
      },
    ])
    // A rule a previous worker left is cleared first; none is left after.
    expect(rules.active.size).toBe(0)
  })

  test('two pages asking one site go one at a time: their rules never meet', async () => {
    const rules = fakeRules()
    const overlaps: number[] = []
    const fetch = withPageOrigin(async () => {
      overlaps.push(rules.active.size)
      await new Promise((resolve) => setTimeout(resolve, 5))
      return new Response('ok')
    }, rules as never)
    await Promise.all([fetch('https://api.example/a', { headers: { origin: 'https://one.page' } }), fetch('https://api.example/b', { headers: { origin: 'https://two.page' } })])
    expect(overlaps).toEqual([1, 1])
  })

  test('a rule the browser refuses: the request still goes, with no Origin of the page (its CORS check then fails closed)', async () => {
    const rules = fakeRules({ failAdd: true })
    const sent: (string | null)[] = []
    const fetch = withPageOrigin(async (_input, init) => (sent.push(new Headers(init?.headers).get('origin')), new Response('ok')), rules as never)
    expect(await (await fetch('https://api.example/a', { headers: { origin: 'https://one.page' } })).text()).toBe('ok')
    expect(sent).toEqual([null])
  })
})
