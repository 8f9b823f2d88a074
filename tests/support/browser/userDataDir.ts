import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A clean, throwaway browser profile directory. */
export async function temporaryProfile(browser: string) {
  const dir = await mkdtemp(join(tmpdir(), `drip-${browser}-profile-`))
  return { dir, remove: () => rm(dir, { recursive: true, force: true, maxRetries: 3 }) }
}
