import { beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import * as Clients from '@/lib/chain/clients'
import * as Settings from '@/lib/chain/networkSettings'
import * as Preferences from '@/lib/payments/preferences'

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
      'settings.networks': { activeId: 'localnet', rpcUrls: { localnet: 'http://127.0.0.1:9999' }, enabled: {} },
    })
    await Settings.setRpcUrl('localnet', '  ')
    expect((await Settings.getActiveNetwork()).rpcUrl).toBe('http://127.0.0.1:8545')
  })

  test('Localnet and testnet are on, mainnet is off until enabled; the active network cannot be turned off', async () => {
    expect(await Settings.enabledChainIds()).toEqual([1337, 42431])
    await expect(Settings.setActiveNetwork('mainnet')).rejects.toThrow('Tempo mainnet is turned off. Enable it first.')
    await expect(Clients.clientFor(4217)).rejects.toThrow('Tempo mainnet (chain 4217) is turned off')
    await Settings.setNetworkEnabled('mainnet', true)
    expect(await Settings.enabledChainIds()).toEqual([1337, 42431, 4217])
    await Settings.setActiveNetwork('mainnet')
    await expect(Settings.setNetworkEnabled('mainnet', false)).rejects.toThrow('Switch to another network')
    await expect(Clients.clientFor(1)).rejects.toThrow('Drip does not know chain 1.')
  })

  test('the default cap is $5 until changed, and must be positive', async () => {
    expect(await Preferences.defaultCap()).toBe(5_000_000n)
    await Preferences.setDefaultCap(2_000_000n)
    expect(await Preferences.defaultCap()).toBe(2_000_000n)
    await expect(Preferences.setDefaultCap(0n)).rejects.toThrow('more than zero')
  })

  test('a bad URL or network is refused and nothing is stored', async () => {
    await expect(Settings.setRpcUrl('localnet', 'ftp://x')).rejects.toThrow('must use http or https')
    await expect(Settings.setRpcUrl('nope' as never, 'http://x')).rejects.toThrow('Unknown network "nope"')
    expect(await fakeBrowser.storage.local.get(null)).toEqual({})
  })

  test('a read that starts while a new RPC URL is being saved sees the new URL (issue 14)', async () => {
    await Settings.setRpcUrl('localnet', 'http://127.0.0.1:1111')
    const saving = Settings.setRpcUrl('localnet', 'http://127.0.0.1:2222')
    const [active, client] = await Promise.all([Settings.getActiveNetwork(), Clients.clientFor(1337)])
    await saving
    expect(active.rpcUrl).toBe('http://127.0.0.1:2222')
    expect(client.transport.url).toBe('http://127.0.0.1:2222')
  })
})
