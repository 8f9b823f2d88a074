import { defineConfig } from 'vitest/config'
import { WxtVitest } from 'wxt/testing/vitest-plugin'

/** Benchmarks of lib/ in Node against the devnet and the demo site: they print numbers and assert nothing. */
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    setupFiles: ['tests/support/indexedDb.ts'],
    hookTimeout: 60_000,
    benchmark: { include: ['tests/bench/**/*.bench.ts'] },
  },
})
