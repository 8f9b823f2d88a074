/**
 * `npm start`: builds Drip for Chrome and Firefox and says how to load it.
 * (Replaced by `npm run demo` once the demo site exists.)
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
execFileSync('npm', ['run', 'build:all'], { cwd: root, stdio: 'inherit' })

console.log(`
Drip is built.

Chrome / Chromium:
  1. Open chrome://extensions and turn on "Developer mode".
  2. Click "Load unpacked" and choose ${root}.output/chrome-mv3
Firefox:
  1. Open about:debugging#/runtime/this-firefox
  2. Click "Load Temporary Add-on…" and choose ${root}.output/firefox-mv3/manifest.json

Then open Drip's popup from the toolbar. It shows Localnet (chain 1337) at
http://127.0.0.1:8545; point it at any Tempo RPC from the popup.
`)
