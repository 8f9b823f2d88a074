/**
 * The account's private key, encrypted at rest with a key derived from the
 * user's password (PBKDF2-SHA256 → AES-GCM-256, WebCrypto). The KDF and
 * cipher parameters are stored beside the ciphertext so they can be raised
 * later: an unlock re-encrypts a record whose parameters are below today's.
 * Only the derived key, never the password, is cached in `storage.session`,
 * so a service-worker restart does not lock the user out.
 */
import { Base64 } from 'ox'
import { generateMnemonic, validateMnemonic } from '@scure/bip39'
import { type Address, type Hex, toHex } from 'viem'
import { english, generatePrivateKey, mnemonicToAccount, privateKeyToAccount } from 'viem/accounts'

export const currentIterations = 600_000
export const minimumPasswordLength = 8

export type EncryptedKey = {
  version: 1
  address: Address
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string }
  cipher: { name: 'AES-GCM'; length: 256; iv: string }
  ciphertext: string
  /** The recovery phrase the key came from, encrypted with the same key (its own iv); absent for a key imported as hex. */
  phrase?: { iv: string; ciphertext: string }
}

export class WrongPasswordError extends Error {
  override name = 'WrongPasswordError'
  constructor() {
    super('Wrong password.')
  }
}

export function assertPasswordStrength(password: string) {
  if (password.length < minimumPasswordLength)
    throw new Error(`Use a password of at least ${minimumPasswordLength} characters.`)
}

/** Parses a pasted private key: 32 bytes of hex, with or without 0x. */
export function parsePrivateKey(input: string): Hex {
  const trimmed = input.trim()
  const hex = (trimmed.startsWith('0x') ? trimmed : `0x${trimmed}`).toLowerCase()
  if (!/^0x[0-9a-f]{64}$/.test(hex)) throw new Error('A private key is 64 hexadecimal characters (32 bytes), optionally prefixed with 0x.')
  try {
    privateKeyToAccount(hex as Hex)
  } catch {
    throw new Error('That is not a valid secp256k1 private key.')
  }
  return hex as Hex
}

export function newPrivateKey(): Hex {
  return generatePrivateKey()
}

/** A new BIP-39 recovery phrase: 12 English words (128 bits of entropy). */
export function newRecoveryPhrase(): string {
  return generateMnemonic(english, 128)
}

/** The phrase as typed, in its canonical form: lower case, single spaces. */
export function normalizePhrase(input: string): string {
  return input.trim().toLowerCase().split(/\s+/).join(' ')
}

/** Whether the input looks like a phrase (several words) rather than a hex private key. */
export function isPhrase(input: string): boolean {
  return normalizePhrase(input).split(' ').length > 1
}

/** The private key of a BIP-39 phrase's first account (m/44'/60'/0'/0/0, as MetaMask and the Tempo wallet derive it). */
export function privateKeyFromPhrase(input: string): Hex {
  const phrase = normalizePhrase(input)
  const words = phrase.split(' ').length
  if (![12, 15, 18, 21, 24].includes(words)) throw new Error(`A recovery phrase has 12 or 24 words; this one has ${words}.`)
  if (!validateMnemonic(phrase, english)) throw new Error('That recovery phrase is not valid: a word is misspelled or out of place (its checksum does not match).')
  const key = mnemonicToAccount(phrase).getHdKey().privateKey
  if (!key) throw new Error('That recovery phrase gives no private key.')
  return toHex(key)
}

/** Derives the AES key. Extractable, so the background can cache it in storage.session. */
export async function deriveKey(password: string, kdf: EncryptedKey['kdf']): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveKey'])
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: kdf.hash, iterations: kdf.iterations, salt: bytes(kdf.salt) },
    material,
    { name: 'AES-GCM', length: 256 },
    true,
    ['encrypt', 'decrypt'],
  )
}

export async function encrypt(
  privateKey: Hex,
  password: string,
  options: { iterations?: number; phrase?: string } = {},
): Promise<{ record: EncryptedKey; key: CryptoKey }> {
  const kdf = {
    name: 'PBKDF2',
    hash: 'SHA-256',
    iterations: options.iterations ?? currentIterations,
    salt: Base64.fromBytes(crypto.getRandomValues(new Uint8Array(16))),
  } as const
  const key = await deriveKey(password, kdf)
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(privateKey))
  const phrase = options.phrase === undefined ? undefined : await sealText(key, normalizePhrase(options.phrase))
  return {
    record: {
      version: 1,
      address: privateKeyToAccount(privateKey).address,
      kdf,
      cipher: { name: 'AES-GCM', length: 256, iv: Base64.fromBytes(iv) },
      ciphertext: Base64.fromBytes(new Uint8Array(ciphertext)),
      ...(phrase ? { phrase } : {}),
    },
    key,
  }
}

async function sealText(key: CryptoKey, text: string): Promise<{ iv: string; ciphertext: string }> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(text))
  return { iv: Base64.fromBytes(iv), ciphertext: Base64.fromBytes(new Uint8Array(ciphertext)) }
}

/** The recovery phrase kept with the key, checked against the account; undefined for a key imported as hex. */
export async function decryptPhrase(record: EncryptedKey, key: CryptoKey): Promise<string | undefined> {
  if (!record.phrase) return undefined
  let plaintext: ArrayBuffer
  try {
    plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes(record.phrase.iv) }, key, bytes(record.phrase.ciphertext))
  } catch {
    throw new WrongPasswordError()
  }
  const phrase = new TextDecoder().decode(plaintext)
  if (privateKeyToAccount(privateKeyFromPhrase(phrase)).address !== record.address) throw new Error('The vault is corrupt: its recovery phrase does not match its address.')
  return phrase
}

/** Decrypts with an already-derived key; a key from the wrong password fails AES-GCM's tag check. */
export async function decrypt(record: EncryptedKey, key: CryptoKey): Promise<Hex> {
  let plaintext: ArrayBuffer
  try {
    plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes(record.cipher.iv) }, key, bytes(record.ciphertext))
  } catch {
    throw new WrongPasswordError()
  }
  const privateKey = new TextDecoder().decode(plaintext) as Hex
  if (privateKeyToAccount(privateKey).address !== record.address) throw new Error('The vault is corrupt: its key does not match its address.')
  return privateKey
}

export async function decryptWithPassword(record: EncryptedKey, password: string): Promise<{ privateKey: Hex; key: CryptoKey }> {
  const key = await deriveKey(password, record.kdf)
  return { privateKey: await decrypt(record, key), key }
}

/** Parameters weaker than today's are re-encrypted on the next unlock. */
export function needsUpgrade(record: EncryptedKey): boolean {
  return record.kdf.iterations < currentIterations
}

export async function exportKey(key: CryptoKey): Promise<string> {
  return Base64.fromBytes(new Uint8Array(await crypto.subtle.exportKey('raw', key)))
}

export async function importKey(raw: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', bytes(raw), { name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt'])
}

/** Base64 to a Uint8Array backed by a plain ArrayBuffer, as WebCrypto's types want. */
function bytes(base64: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Base64.toBytes(base64))
}
