/**
 * The script registered for the sites that pay: its match patterns (a port
 * in Chromium, the host's every port in Firefox, which takes none), and the
 * registration kept in step with the account's approvals and waiting sites,
 * with no call to the browser when nothing changed.
 */
import { beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import type { Address } from 'viem'
import type { Browser } from 'wxt/browser'
import { keepPayingSiteScriptCurrent, payingSiteMatches, payingSiteScriptId, registerPayingSiteScript, type ScriptRegistry } from '@/lib/background/payingSiteScript'
import type { Approval } from '@/lib/payments/policy'
import type { PendingRequest } from '@/lib/payments/waitingRequests'
import * as Schema from '@/lib/storage/schema'
import type { EncryptedKey } from '@/lib/wallet/vault'

type Script = Browser.scripting.RegisteredContentScript

/** The browser's registry of scripts, recording each call that changed it. */
function fakeRegistry() {
  const scripts = new Map<string, Script>()
  const calls: string[] = []
  const registry: ScriptRegistry = {
    getRegisteredContentScripts: (async (filter?: { ids?: string[] }) => [...scripts.values()].filter((s) => !filter?.ids || filter.ids.includes(s.id))) as ScriptRegistry['getRegisteredContentScripts'],
    registerContentScripts: (async (list: Script[]) => {
      for (const s of list) {
        if (scripts.has(s.id)) throw new Error(`Duplicate script ID '${s.id}'`)
        scripts.set(s.id, s)
      }
      calls.push(`register ${list.map((s) => s.matches?.join(' ')).join()}`)
    }) as ScriptRegistry['registerContentScripts'],
    updateContentScripts: (async (list: Script[]) => {
      for (const s of list) scripts.set(s.id, { ...scripts.get(s.id)!, ...s })
      calls.push(`update ${list.map((s) => s.matches?.join(' ')).join()}`)
    }) as ScriptRegistry['updateContentScripts'],
    unregisterContentScripts: (async (filter?: { ids?: string[] }) => {
      for (const id of filter?.ids ?? []) scripts.delete(id)
      calls.push('unregister')
    }) as ScriptRegistry['unregisterContentScripts'],
  }
  return { registry, scripts, calls }
}

describe('payingSiteMatches', () => {
  test.each([
    ['an origin with a port, Chromium', ['http://127.0.0.1:8080'], false, ['http://127.0.0.1:8080/*']],
    ['an origin with a port, Firefox: the host', ['http://127.0.0.1:8080'], true, ['http://127.0.0.1/*']],
    ['the default port is no port', ['https://news.example'], false, ['https://news.example/*']],
    ['two ports of one host in Firefox are one pattern', ['http://localhost:3000', 'http://localhost:4000'], true, ['http://localhost/*']],
    ['an IPv6 host', ['http://[::1]:3000'], false, ['http://[::1]:3000/*']],
    ['sorted, and each once', ['https://b.example', 'https://a.example', 'https://b.example'], false, ['https://a.example/*', 'https://b.example/*']],
    ['not http(s), or not an origin: none', ['chrome-extension://abc', 'file:///tmp/x', 'not a url'], false, []],
  ])('%s', (_name, origins, firefox, patterns) => {
    expect(payingSiteMatches(origins, firefox)).toEqual(patterns)
  })
})

describe('registerPayingSiteScript', () => {
  test('registers once, then updates only on a change, and unregisters when no site pays', async () => {
    const { registry, scripts, calls } = fakeRegistry()
    await registerPayingSiteScript(registry, ['https://a.example/*'])
    expect(scripts.get(payingSiteScriptId)).toMatchObject({ js: ['content-scripts/paying-site.js'], runAt: 'document_start', world: 'MAIN', allFrames: false, persistAcrossSessions: true })
    await registerPayingSiteScript(registry, ['https://a.example/*'])
    await registerPayingSiteScript(registry, ['https://a.example/*', 'https://b.example/*'])
    await registerPayingSiteScript(registry, [])
    await registerPayingSiteScript(registry, [])
    expect(calls).toEqual(['register https://a.example/*', 'update https://a.example/* https://b.example/*', 'unregister'])
    expect(scripts.size).toBe(0)
  })
})

describe('keepPayingSiteScriptCurrent', () => {
  const account = '0x1111111111111111111111111111111111111111' as Address
  const other = '0x2222222222222222222222222222222222222222' as Address
  beforeEach(() => fakeBrowser.reset())

  const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

  test("the account's approved and waiting sites, at start and on each change; another account's are not", async () => {
    await Schema.vault.setValue({ address: account } as EncryptedKey)
    const items = Schema.accountItems(account)
    await items.approvals.setValue({ 'https://approved.example': {} as Approval })
    const { registry, scripts } = fakeRegistry()
    keepPayingSiteScriptCurrent({ firefox: false, ready: Promise.resolve(), registry })
    await settle()
    expect(scripts.get(payingSiteScriptId)?.matches).toEqual(['https://approved.example/*'])
    await items.pending.setValue({ 'http://waiting.example:8080': {} as PendingRequest })
    await settle()
    expect(scripts.get(payingSiteScriptId)?.matches).toEqual(['http://waiting.example:8080/*', 'https://approved.example/*'])
    await items.approvals.setValue({})
    await items.pending.setValue({})
    await settle()
    expect(scripts.has(payingSiteScriptId)).toBe(false)
    await Schema.accountItems(other).approvals.setValue({ 'https://theirs.example': {} as Approval })
    await Schema.vault.setValue({ address: other } as EncryptedKey)
    await settle()
    expect(scripts.get(payingSiteScriptId)?.matches).toEqual(['https://theirs.example/*'])
  })

  test('nothing is registered before storage is ready', async () => {
    await Schema.vault.setValue({ address: account } as EncryptedKey)
    await Schema.accountItems(account).approvals.setValue({ 'https://approved.example': {} as Approval })
    let ready = () => {}
    const { registry, scripts } = fakeRegistry()
    keepPayingSiteScriptCurrent({ firefox: true, ready: new Promise<void>((resolve) => (ready = resolve)), registry })
    await settle()
    expect(scripts.size).toBe(0)
    ready()
    await settle()
    expect(scripts.get(payingSiteScriptId)?.matches).toEqual(['https://approved.example/*'])
  })
})
