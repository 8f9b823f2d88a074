/**
 * The one account Drip holds, behind the vault: create or import, lock and
 * unlock, auto-lock on an alarm, export with the password, reset with a
 * typed confirmation. Lives only in the background.
 *
 * Auto-lock is pushed back only by `touch()`, which the background calls
 * for the reader's own actions in Drip's pages: reading the signer, polling
 * and page payments never do, so no page can keep the wallet unlocked.
 */
import type { Address, Hex, LocalAccount } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { browser } from 'wxt/browser'
import type { WalletStatus } from '@/lib/protocol/views'
import * as Schema from '@/lib/storage/schema'
import * as Vault from './vault'

export const autoLockAlarm = 'drip.autolock'
export const defaultAutoLockMinutes = Schema.defaultAutoLockMinutes
export const resetConfirmation = 'RESET'

const vaultItem = Schema.vault
const sessionKeyItem = Schema.vaultSessionKey
const autoLockItem = Schema.autoLockMinutes

export type Status = WalletStatus

export class LockedError extends Error {
  override name = 'LockedError'
  constructor() {
    super('Drip is locked. Unlock it from the toolbar popup.')
  }
}

export type WalletOptions = {
  /** PBKDF2 iterations for new records; tests may lower it, production never does. */
  iterations?: number
}

export class Wallet {
  private privateKey: Hex | undefined
  /** The signing account of `privateKey`, derived once (deriving it is a curve multiplication). */
  private account: LocalAccount | undefined
  /**
   * The vault record as stored, read once: only this object writes it (the
   * background holds one Wallet), so every payment's `address()` and
   * `signer()` need no storage round trip.
   */
  private vaultRecord: Promise<Vault.EncryptedKey | null> | undefined
  private lockListeners = new Set<() => void>()

  constructor(private readonly options: WalletOptions = {}) {}

  async status(): Promise<Status> {
    const record = await this.storedVault()
    if (!record) return { state: 'empty' }
    if (await this.loadPrivateKey()) return { state: 'unlocked', address: record.address, autoLockMinutes: await autoLockItem.getValue() }
    return { state: 'locked', address: record.address }
  }

  /** A new account from a new recovery phrase, returned for the reader to write down (and kept encrypted with the key, to show again with the password). */
  async create(password: string): Promise<{ address: Address; recoveryPhrase: string }> {
    const recoveryPhrase = Vault.newRecoveryPhrase()
    return { address: await this.store(Vault.privateKeyFromPhrase(recoveryPhrase), password, recoveryPhrase), recoveryPhrase }
  }

  /** An existing account, from its recovery phrase (kept, encrypted, to show again) or its private key. */
  async importKey(phraseOrPrivateKey: string, password: string): Promise<Address> {
    if (Vault.isPhrase(phraseOrPrivateKey)) return this.store(Vault.privateKeyFromPhrase(phraseOrPrivateKey), password, phraseOrPrivateKey)
    return this.store(Vault.parsePrivateKey(phraseOrPrivateKey), password)
  }

  async unlock(password: string): Promise<Address> {
    const record = await this.record()
    const { privateKey, key } = await Vault.decryptWithPassword(record, password)
    if (Vault.needsUpgrade(record)) {
      const phrase = await Vault.decryptPhrase(record, key)
      const upgraded = await Vault.encrypt(privateKey, password, { iterations: Vault.currentIterations, phrase })
      await this.saveVault(upgraded.record)
      await this.remember(privateKey, upgraded.key)
    } else await this.remember(privateKey, key)
    return record.address
  }

  /** Drops the key and tells every listener (running streams stop). */
  async lock(): Promise<void> {
    this.privateKey = undefined
    this.account = undefined
    await sessionKeyItem.removeValue()
    await browser.alarms.clear(autoLockAlarm)
    for (const listener of this.lockListeners) listener()
  }

  /** Called on every lock, manual or automatic. Returns a function that stops listening. */
  onLock(listener: () => void): () => void {
    this.lockListeners.add(listener)
    return () => this.lockListeners.delete(listener)
  }

  /** The signing account, as the lock state is now. Reading it is not activity: it never pushes auto-lock back. */
  async signer(): Promise<LocalAccount> {
    const privateKey = await this.loadPrivateKey()
    if (!privateKey) throw new LockedError()
    this.account ??= privateKeyToAccount(privateKey)
    return this.account
  }

  /** Whether a signer is available, without decrypting anything. */
  async isUnlocked(): Promise<boolean> {
    return this.privateKey !== undefined || (await sessionKeyItem.getValue()) !== null
  }

  async address(): Promise<Address | undefined> {
    return (await this.storedVault())?.address ?? undefined
  }

  /** Asks for the password again even when unlocked: showing the key is the most sensitive thing Drip does. */
  async exportPrivateKey(password: string): Promise<Hex> {
    return (await Vault.decryptWithPassword(await this.record(), password)).privateKey
  }

  /** The recovery phrase again, with the password (as MetaMask shows it); an account imported as a hex key has none. */
  async exportRecoveryPhrase(password: string): Promise<string> {
    const record = await this.record()
    const { key } = await Vault.decryptWithPassword(record, password)
    const phrase = await Vault.decryptPhrase(record, key)
    if (!phrase) throw new Error('This account was imported from a private key, so it has no recovery phrase. Export the private key instead.')
    return phrase
  }

  /** Forgets the account. The caller wipes everything else Drip stored for it. */
  async reset(confirmation: string): Promise<void> {
    if (confirmation !== resetConfirmation) throw new Error(`Type ${resetConfirmation} to confirm that this wallet and its key are erased.`)
    await this.lock()
    await this.saveVault(null)
  }

  async autoLockMinutes(): Promise<number> {
    return autoLockItem.getValue()
  }

  async setAutoLockMinutes(minutes: number): Promise<void> {
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60)
      throw new Error('Auto-lock takes a whole number of minutes from 1 to 1440.')
    await autoLockItem.setValue(minutes)
    if (this.privateKey) await this.touch()
  }

  /** Restarts the idle timer: the reader did something in Drip. */
  async touch(): Promise<void> {
    await browser.alarms.create(autoLockAlarm, { delayInMinutes: await autoLockItem.getValue() })
  }

  async onAlarm(name: string): Promise<void> {
    if (name === autoLockAlarm) await this.lock()
  }

  private async store(privateKey: Hex, password: string, phrase?: string): Promise<Address> {
    Vault.assertPasswordStrength(password)
    if (await this.storedVault()) throw new Error('Drip already holds an account. Reset it in Settings before creating or importing another.')
    const { record, key } = await Vault.encrypt(privateKey, password, { iterations: this.options.iterations, phrase })
    await this.saveVault(record)
    await this.remember(privateKey, key)
    return record.address
  }

  private async remember(privateKey: Hex, key: CryptoKey) {
    this.privateKey = privateKey
    this.account = undefined
    await sessionKeyItem.setValue(await Vault.exportKey(key))
    await this.touch()
  }

  /** The in-memory key, or the one the session-cached derived key decrypts after a restart. */
  private async loadPrivateKey(): Promise<Hex | undefined> {
    if (this.privateKey) return this.privateKey
    const [record, cached] = await Promise.all([this.storedVault(), sessionKeyItem.getValue()])
    if (!record || !cached) return undefined
    try {
      this.privateKey = await Vault.decrypt(record, await Vault.importKey(cached))
    } catch {
      await sessionKeyItem.removeValue()
      return undefined
    }
    return this.privateKey
  }

  private async record(): Promise<Vault.EncryptedKey> {
    const record = await this.storedVault()
    if (!record) throw new Error('Drip has no account yet. Create or import one first.')
    return record
  }

  private storedVault(): Promise<Vault.EncryptedKey | null> {
    this.vaultRecord ??= vaultItem.getValue().catch((error: unknown) => {
      this.vaultRecord = undefined
      throw error
    })
    return this.vaultRecord
  }

  /** Writes the vault record (null removes it); the kept copy follows once storage has it. */
  private async saveVault(record: Vault.EncryptedKey | null): Promise<void> {
    this.vaultRecord = undefined
    if (record) await vaultItem.setValue(record)
    else await vaultItem.removeValue()
    this.vaultRecord = Promise.resolve(record)
  }
}
