// @vitest-environment happy-dom
/**
 * Drip's mark on a page (`data-mpp-wallet`): set only while the reader
 * approves the site, taken off when the reader revokes it, and never
 * taken from a page that set it itself.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { pagePresence, versionAttribute, walletAttribute } from '@/lib/content/presence'
import type { PageConnection } from '@/lib/protocol/messages'

const connection = (approved: boolean): PageConnection => ({ wallet: 'drip', version: '0.1.0', origin: 'https://site.test', approved, pays: approved })
const marks = () => [walletAttribute, versionAttribute].map((name) => document.documentElement.getAttribute(name))

describe('the page’s mark of Drip', () => {
  afterEach(() => {
    document.documentElement.removeAttribute(walletAttribute)
    document.documentElement.removeAttribute(versionAttribute)
  })

  test('set while the site is approved, once (one ready event), and taken off when the reader revokes it', () => {
    const presence = pagePresence(document)
    let ready = 0
    document.addEventListener('mpp-wallet-ready', () => ready++)
    presence.update(connection(false))
    expect(marks()).toEqual([null, null])
    presence.update(connection(true))
    presence.update(connection(true))
    expect([marks(), ready]).toEqual([['drip', '0.1.0'], 1])
    presence.update(connection(false))
    expect(marks()).toEqual([null, null])
    // Approved again: marked again.
    presence.update(connection(true))
    expect(marks()).toEqual(['drip', '0.1.0'])
  })

  test('a mark the page set itself stays the page’s', () => {
    document.documentElement.setAttribute(walletAttribute, 'another wallet')
    const presence = pagePresence(document)
    presence.update(connection(false))
    expect(marks()).toEqual(['another wallet', null])
  })
})
