import { describe, expect, test } from 'vitest'
import * as Networks from '@/lib/chain/networks'

describe('Networks', () => {
  test('Localnet is chain 1337 on 127.0.0.1:8545 and is the default', () => {
    expect(Networks.fromId(Networks.defaultId)).toBe(Networks.localnet)
    expect(Networks.localnet.chain.id).toBe(1337)
    expect(Networks.localnet.defaultRpcUrl).toBe('http://127.0.0.1:8545')
  })

  test('a chain id selects its network', () => {
    expect(Networks.fromChainId(1337)?.id).toBe('localnet')
    expect(Networks.fromChainId(42431)?.id).toBe('testnet')
    expect(Networks.fromChainId(4217)?.id).toBe('mainnet')
    expect(Networks.fromChainId(1)).toBeUndefined()
  })

  test('mainnet is off until the user enables it; test networks are on', () => {
    expect(Networks.mainnet.enabledByDefault).toBe(false)
    expect(Networks.mainnet.testnet).toBe(false)
    expect(Networks.localnet.enabledByDefault && Networks.testnet.enabledByDefault).toBe(true)
  })

  test('an unknown network id throws', () => {
    expect(Networks.isId('devnet')).toBe(false)
    expect(() => Networks.fromId('devnet' as Networks.Id)).toThrow('Unknown network "devnet".')
  })

  describe('parseRpcUrl', () => {
    test.each([
      ['http://127.0.0.1:8545', 'http://127.0.0.1:8545'],
      ['  http://127.0.0.1:8545/  ', 'http://127.0.0.1:8545'],
      ['https://rpc.moderato.tempo.xyz', 'https://rpc.moderato.tempo.xyz'],
      ['https://example.com/rpc/key', 'https://example.com/rpc/key'],
    ])('accepts %j', (input, expected) => {
      expect(Networks.parseRpcUrl(input)).toBe(expected)
    })

    test.each([
      ['not a url', 'is not a valid URL'],
      ['127.0.0.1:8545', 'is not a valid URL'],
      ['javascript:alert(1)', 'must use http or https, not javascript'],
      ['file:///etc/passwd', 'must use http or https, not file'],
      ['ws://127.0.0.1:8545', 'must use http or https, not ws'],
    ])('refuses %j', (input, message) => {
      expect(() => Networks.parseRpcUrl(input)).toThrow(message)
    })
  })
})

describe('Networks.tokenLabel', () => {
  test.each([
    ['pathUSD by its symbol', '0x20c0000000000000000000000000000000000000', 'pathUSD (0x20c0…0000)'],
    ['an unknown token shortened', '0x20C0000000000000000000000000000000000001', '0x20C0…0001'],
  ] as const)('%s', (_, address, label) => {
    expect(Networks.tokenLabel(address)).toBe(label)
  })
})
