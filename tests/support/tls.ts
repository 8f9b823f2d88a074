/**
 * A throwaway key and self-signed certificate for `localhost` and
 * `127.0.0.1`, made by Debian's `openssl` when a test file loads (nothing is
 * kept: the files go as soon as they are read). Readers' sites are https:
 * `startDemo({ tls })` serves the demo that way, and Chromium takes it with
 * `--ignore-certificate-errors`.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const openssl = process.env.OPENSSL_PATH ?? 'openssl'

export function selfSignedTls(): { key: string; cert: string } {
  if (!existsSync(openssl) && !process.env.PATH?.split(':').some((dir) => existsSync(join(dir, openssl))))
    throw new Error(`The e2e tests' https site needs Debian's openssl (sudo apt-get install -y openssl), or OPENSSL_PATH.`)
  const dir = mkdtempSync(join(tmpdir(), 'drip-tls-'))
  try {
    const key = join(dir, 'key.pem')
    const cert = join(dir, 'cert.pem')
    execFileSync(
      openssl,
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert],
      { stdio: 'ignore' },
    )
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
