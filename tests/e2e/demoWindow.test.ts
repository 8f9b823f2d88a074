/**
 * The README's first command with a display: `npm run demo` under Xvfb
 * (Debian's xvfb) starts the devnet and the demo site, builds Drip and
 * opens a windowed Chromium with Drip loaded on the demo's home page. The
 * path without a display (printed instructions) is what CI machines see;
 * this keeps the windowed one from rotting.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { afterAll, describe, expect, test } from 'vitest'
import { repoRoot } from '../support/browser/paths'

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.once('error', reject)
  })
}

describe('npm run demo with a display (Xvfb)', () => {
  let demo: ChildProcess | undefined
  afterAll(async () => {
    if (!demo?.pid) return
    const exited = new Promise((resolve) => demo!.once('exit', resolve))
    process.kill(-demo.pid, 'SIGTERM')
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))])
  })

  test('opens a windowed Chromium with Drip loaded on the demo, beside the devnet and the site', async () => {
    const [rpcPort, port] = [await freePort(), await freePort()]
    demo = spawn('xvfb-run', ['-a', 'npm', 'run', 'demo', '--', '--rpc-port', String(rpcPort), '--port', String(port)], { cwd: repoRoot, detached: true, env: { ...process.env, DISPLAY: '' } })
    let output = ''
    demo.stdout!.on('data', (chunk) => void (output += chunk))
    demo.stderr!.on('data', (chunk) => void (output += chunk))
    const deadline = Date.now() + 150_000
    while (!output.includes('Chromium is open with Drip loaded') && Date.now() < deadline) {
      if (demo.exitCode !== null) throw new Error(`npm run demo exited (${demo.exitCode}):\n${output.slice(-2000)}`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    expect(output, output.slice(-2000)).toContain('Chromium is open with Drip loaded')
    const browsers = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(`--load-extension=${repoRoot}.output/chrome-mv3`) && !line.includes('--type='))
    expect(browsers, 'one browser process with Drip loaded').toHaveLength(1)
    expect(browsers[0]).not.toContain('--headless')
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200)
    const chain = await fetch(`http://127.0.0.1:${rpcPort}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }) })
    expect((await chain.json()).result).toBe('0x539')
  }, 180_000)
})
