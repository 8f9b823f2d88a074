import { privateKeyToAccount } from 'viem/accounts'
import { beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import * as Vault from '@/lib/wallet/vault'
import { autoLockAlarm, LockedError, Wallet } from '@/lib/wallet/wallet'

const privateKey = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d' as const
const address = privateKeyToAccount(privateKey).address
const password = 'correct horse battery'

describe('Vault', () => {
  test('round trip at 600,000 PBKDF2-SHA256 iterations with AES-GCM-256; parameters stored beside the ciphertext', async () => {
    const { record } = await Vault.encrypt(privateKey, password)
    expect(record).toMatchObject({
      version: 1,
      address,
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: 600_000 },
      cipher: { name: 'AES-GCM', length: 256 },
    })
    expect(record.ciphertext).not.toContain(privateKey.slice(2, 20))
    expect((await Vault.decryptWithPassword(record, password)).privateKey).toBe(privateKey)
  })

  test('a wrong password is refused in words', async () => {
    const { record } = await Vault.encrypt(privateKey, password, { iterations: 1_000 })
    await expect(Vault.decryptWithPassword(record, 'not the password')).rejects.toThrow('Wrong password.')
  })

  test('fresh salt and IV each time', async () => {
    const [a, b] = await Promise.all([Vault.encrypt(privateKey, password, { iterations: 1_000 }), Vault.encrypt(privateKey, password, { iterations: 1_000 })])
    expect(a.record.kdf.salt).not.toBe(b.record.kdf.salt)
    expect(a.record.cipher.iv).not.toBe(b.record.cipher.iv)
    expect(a.record.ciphertext).not.toBe(b.record.ciphertext)
  })

  test.each([
    ['too short', '0x1234', 'A private key is 64 hexadecimal characters'],
    ['not hex', `0x${'zz'.repeat(32)}`, 'A private key is 64 hexadecimal characters'],
    ['zero', `0x${'00'.repeat(32)}`, 'not a valid secp256k1 private key'],
  ])('refuses a private key that is %s', (_name, input, message) => {
    expect(() => Vault.parsePrivateKey(input)).toThrow(message)
  })

  test('accepts a private key without 0x and with whitespace', () => {
    expect(Vault.parsePrivateKey(`  ${privateKey.slice(2).toUpperCase()}\n`)).toBe(privateKey)
  })
})

describe('Wallet', () => {
  beforeEach(() => fakeBrowser.reset())

  test('a weak password is refused and nothing is stored', async () => {
    const wallet = new Wallet({ iterations: 1_000 })
    await expect(wallet.create('short')).rejects.toThrow('at least 8 characters')
    expect(await wallet.status()).toEqual({ state: 'empty' })
  })

  test('import, lock, wrong password, unlock', async () => {
    const wallet = new Wallet({ iterations: 1_000 })
    expect(await wallet.importKey(privateKey, password)).toBe(address)
    expect(await wallet.status()).toMatchObject({ state: 'unlocked', address })
    await wallet.lock()
    expect(await wallet.status()).toEqual({ state: 'locked', address })
    await expect(wallet.signer()).rejects.toBeInstanceOf(LockedError)
    await expect(wallet.unlock('wrong password!')).rejects.toThrow('Wrong password.')
    expect(await wallet.unlock(password)).toBe(address)
    expect((await wallet.signer()).address).toBe(address)
  })

  test('storage.session caches only the derived key; a restarted background stays unlocked', async () => {
    await new Wallet({ iterations: 1_000 }).importKey(privateKey, password)
    const session = JSON.stringify(await fakeBrowser.storage.session.get(null))
    expect(session).not.toContain(password)
    expect(session).not.toContain(privateKey.slice(2))
    const restarted = new Wallet()
    expect((await restarted.signer()).address).toBe(address)
  })

  test('records with weaker parameters are upgraded on unlock', async () => {
    const wallet = new Wallet({ iterations: 100_000 })
    await wallet.importKey(privateKey, password)
    await wallet.lock()
    const before = (await fakeBrowser.storage.local.get('vault')).vault as Vault.EncryptedKey
    expect(Vault.needsUpgrade(before)).toBe(true)
    await wallet.unlock(password)
    const after = (await fakeBrowser.storage.local.get('vault')).vault as Vault.EncryptedKey
    expect(after.kdf.iterations).toBe(600_000)
    expect(after.kdf.salt).not.toBe(before.kdf.salt)
    await wallet.lock()
    expect(await wallet.unlock(password)).toBe(address)
  })

  test('auto-lock: activity schedules the alarm, the alarm locks', async () => {
    const wallet = new Wallet({ iterations: 1_000 })
    await wallet.importKey(privateKey, password)
    await wallet.setAutoLockMinutes(5)
    const alarm = await fakeBrowser.alarms.get(autoLockAlarm)
    expect(alarm?.scheduledTime).toBeGreaterThan(Date.now() + 4 * 60_000)
    await wallet.onAlarm('something-else')
    expect((await wallet.status()).state).toBe('unlocked')
    await wallet.onAlarm(autoLockAlarm)
    expect((await wallet.status()).state).toBe('locked')
    await expect(wallet.setAutoLockMinutes(0)).rejects.toThrow('from 1 to 1440')
  })

  test('export asks for the password again; reset needs the typed confirmation', async () => {
    const wallet = new Wallet({ iterations: 1_000 })
    await wallet.importKey(privateKey, password)
    await expect(wallet.exportPrivateKey('nope nope nope')).rejects.toThrow('Wrong password.')
    expect(await wallet.exportPrivateKey(password)).toBe(privateKey)
    await expect(wallet.create(password)).rejects.toThrow('already holds an account')
    await expect(wallet.reset('yes')).rejects.toThrow('Type RESET to confirm')
    expect((await wallet.status()).state).toBe('unlocked')
    await wallet.reset('RESET')
    expect(await wallet.status()).toEqual({ state: 'empty' })
    const created = await wallet.create(password)
    expect(created).not.toBe(address)
  })

  test('the recovery phrase shows again with the password: kept encrypted from create or a phrase import, through an upgrade; a hex import has none, in words', async () => {
    const wallet = new Wallet({ iterations: 100_000 })
    const { recoveryPhrase } = await wallet.create(password)
    const stored = (await fakeBrowser.storage.local.get('vault')).vault as Vault.EncryptedKey
    // Two words with their space: one word alone may be a key of the vault's JSON ("name", "salt").
    expect(JSON.stringify(stored)).not.toContain(recoveryPhrase.split(' ').slice(0, 2).join(' '))
    await expect(wallet.exportRecoveryPhrase('nope nope nope')).rejects.toThrow('Wrong password.')
    expect(await wallet.exportRecoveryPhrase(password)).toBe(recoveryPhrase)
    // Unlocking re-encrypts a record with weaker parameters: the phrase comes along.
    await wallet.lock()
    await wallet.unlock(password)
    expect(((await fakeBrowser.storage.local.get('vault')).vault as Vault.EncryptedKey).kdf.iterations).toBe(600_000)
    expect(await wallet.exportRecoveryPhrase(password)).toBe(recoveryPhrase)
    await wallet.reset('RESET')
    await wallet.importKey(`  ${recoveryPhrase.toUpperCase()} `, password)
    expect(await wallet.exportRecoveryPhrase(password)).toBe(recoveryPhrase)
    await wallet.reset('RESET')
    await wallet.importKey(privateKey, password)
    await expect(wallet.exportRecoveryPhrase(password)).rejects.toThrow('imported from a private key, so it has no recovery phrase')
  })

  test('reading the signer and locking: the signer is never activity, and lock tells its listeners', async () => {
    const wallet = new Wallet({ iterations: 1_000 })
    await wallet.importKey(privateKey, password)
    await fakeBrowser.alarms.clear(autoLockAlarm)
    for (let i = 0; i < 3; i++) await wallet.signer()
    expect(await wallet.isUnlocked()).toBe(true)
    // The popup's 2 s poll used to call the signer, which pushed auto-lock back for ever.
    expect(await fakeBrowser.alarms.get(autoLockAlarm)).toBeUndefined()
    let locks = 0
    wallet.onLock(() => locks++)
    await wallet.lock()
    expect(locks).toBe(1)
    expect(await wallet.isUnlocked()).toBe(false)
    await expect(wallet.signer()).rejects.toBeInstanceOf(LockedError)
  })
})
