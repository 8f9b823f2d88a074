/** Starts a devnet and the demo site on it, in-process, for tests. */
import { type StartDemoOptions, startDemo } from '@/demo/server'
import { startDevnet, type TestDevnet } from './devnet'

export type DemoUnderTest = Awaited<ReturnType<typeof startDemo>>

export async function startDevnetAndDemo(options: Partial<StartDemoOptions> = {}) {
  const devnet: TestDevnet = await startDevnet()
  const demo = await startDemo({ rpcUrl: devnet.url, recipientKey: devnet.accounts[1]!.privateKey, ...options })
  return {
    devnet,
    demo,
    async stop() {
      await demo.close()
      await devnet.stop()
    },
  }
}
