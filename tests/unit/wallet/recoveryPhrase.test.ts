import { describe, expect, test } from 'vitest'
import { privateKeyToAccount } from 'viem/accounts'
import * as Vault from '@/lib/wallet/vault'

/** The well-known development phrase: its first account is 0xf39F…2266 in every BIP-44 Ethereum wallet. */
const devPhrase = 'test test test test test test test test test test test junk'

describe("recovery phrases (BIP-39, m/44'/60'/0'/0/0)", () => {
  test('the development phrase gives the account every wallet derives from it, however it is typed', () => {
    for (const typed of [devPhrase, `  TEST test\ttest test test test test test test test test  junk \n`])
      expect(privateKeyToAccount(Vault.privateKeyFromPhrase(typed)).address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')
  })

  test('a new phrase has 12 valid words and gives a usable key', () => {
    const phrase = Vault.newRecoveryPhrase()
    expect(phrase.split(' ')).toHaveLength(12)
    expect(Vault.privateKeyFromPhrase(phrase)).toMatch(/^0x[0-9a-f]{64}$/)
    expect(Vault.newRecoveryPhrase()).not.toBe(phrase)
  })

  test.each([
    ['a misspelled word', devPhrase.replace('junk', 'junc'), 'not valid'],
    ['words out of place (checksum)', 'junk test test test test test test test test test test test', 'not valid'],
    ['eleven words', devPhrase.split(' ').slice(1).join(' '), 'has 12 or 24 words; this one has 11'],
  ])('refuses %s', (_, phrase, message) => {
    expect(() => Vault.privateKeyFromPhrase(phrase)).toThrow(message)
  })

  test('a phrase is told from a private key by its words', () => {
    expect(Vault.isPhrase(devPhrase)).toBe(true)
    expect(Vault.isPhrase('0x' + 'ab'.repeat(32))).toBe(false)
  })
})
