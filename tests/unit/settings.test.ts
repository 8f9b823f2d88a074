import { beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import * as Settings from '@/lib/settings'

describe('Settings', () => {
  beforeEach(() => fakeBrowser.reset())

  test('a fresh install uses Localnet at its default RPC', async () => {
    const { network, rpcUrl } = await Settings.getActiveNetwork()
    expect(network.id).toBe('localnet')
    expect(rpcUrl).toBe('http://127.0.0.1:8545')
  })

  test('a saved RPC URL persists in storage.local and an empty one restores the default', async () => {
    await Settings.setRpcUrl('localnet', 'http://127.0.0.1:9999/')
    expect((await Settings.getActiveNetwork()).rpcUrl).toBe('http://127.0.0.1:9999')
    expect(await fakeBrowser.storage.local.get('settings.networks')).toEqual({
      'settings.networks': { activeId: 'localnet', rpcUrls: { localnet: 'http://127.0.0.1:9999' } },
    })
    await Settings.setRpcUrl('localnet', '  ')
    expect((await Settings.getActiveNetwork()).rpcUrl).toBe('http://127.0.0.1:8545')
  })

  test('a bad URL or network is refused and nothing is stored', async () => {
    await expect(Settings.setRpcUrl('localnet', 'ftp://x')).rejects.toThrow('must use http or https')
    await expect(Settings.setRpcUrl('nope' as never, 'http://x')).rejects.toThrow('Unknown network "nope"')
    expect(await fakeBrowser.storage.local.get(null)).toEqual({})
  })
})
