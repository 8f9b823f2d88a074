#!/usr/bin/env node
/**
 * Makes a fresh clone runnable: installs npm dependencies when they are
 * missing and, with --browsers, Debian's Chromium and Firefox ESR (the e2e
 * tests never download browsers). Plain JavaScript so it runs before
 * `npm ci`. Safe to run repeatedly: it does nothing when all is in place.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' })

if (!existsSync(`${root}/node_modules/.package-lock.json`)) {
  console.log('drip: installing npm dependencies (npm ci)…')
  run('npm', ['ci'])
}

if (process.argv.includes('--browsers')) {
  const browsers = [
    { executable: '/usr/bin/chromium', apt: 'chromium', env: 'CHROMIUM_PATH' },
    { executable: '/usr/bin/firefox-esr', apt: 'firefox-esr', env: 'FIREFOX_PATH' },
    // A virtual display for the e2e test of `npm run demo`'s windowed path.
    { executable: '/usr/bin/xvfb-run', apt: 'xvfb', env: 'XVFB_RUN_PATH' },
    { executable: '/usr/bin/xauth', apt: 'xauth', env: 'XAUTH_PATH' },
    // Runs the unit and integration suites on other days (npm run test:dates).
    { executable: '/usr/bin/faketime', apt: 'faketime', env: 'FAKETIME_PATH' },
    // Makes the throwaway certificate of the e2e tests' https site (tests/support/tls.ts).
    { executable: '/usr/bin/openssl', apt: 'openssl', env: 'OPENSSL_PATH' },
  ]
  const missing = browsers.filter((b) => !existsSync(process.env[b.env] ?? b.executable)).map((b) => b.apt)
  if (missing.length > 0) {
    const isRoot = process.getuid?.() === 0
    if (!isRoot || !existsSync('/usr/bin/apt-get')) {
      console.error(
        `drip: the tests need ${missing.join(' and ')} from Debian.\n` +
          `Install them with: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\n` +
          `(or set CHROMIUM_PATH / FIREFOX_PATH to existing executables).`,
      )
      process.exit(1)
    }
    console.log(`drip: installing ${missing.join(' and ')} with apt…`)
    run('apt-get', ['update'])
    run('apt-get', ['install', '-y', ...missing])
  }
}
