/**
 * Saves and loads the whole chain for `--state FILE`, so a restart resumes
 * where it stopped. JSON with tagged bigints and Maps; written atomically.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { Snapshot } from './chain'

type Tagged = { $bigint: string } | { $map: [unknown, unknown][] }

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString() }
  if (value instanceof Map) return { $map: [...value.entries()] }
  return value
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object') {
    const tagged = value as Tagged
    if ('$bigint' in tagged) return BigInt(tagged.$bigint)
    if ('$map' in tagged) return new Map(tagged.$map)
  }
  return value
}

export function save(file: string, snapshot: Snapshot) {
  const temporary = `${file}.tmp`
  writeFileSync(temporary, JSON.stringify({ version: 1, snapshot }, replacer))
  renameSync(temporary, file)
}

export function load(file: string): Snapshot | undefined {
  if (!existsSync(file)) return undefined
  const parsed = JSON.parse(readFileSync(file, 'utf8'), reviver) as { version: number; snapshot: Snapshot }
  if (parsed.version !== 1) throw new Error(`${file} was written by an incompatible devnet (version ${parsed.version}).`)
  return parsed.snapshot
}
