import { defineConfig } from 'vitest/config'
import { WxtVitest } from 'wxt/testing/vitest-plugin'

/** Integration tests: lib/ in Node against real local servers (RPC, devnet, demo site). */
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    setupFiles: ['tests/support/indexedDb.ts'],
    include: ['tests/integration/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
