import { defineConfig } from 'vitest/config'
import { WxtVitest } from 'wxt/testing/vitest-plugin'

/** Unit tests: lib/ and components/ against WXT's fake browser. */
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    setupFiles: ['tests/support/indexedDb.ts'],
    include: ['tests/unit/**/*.test.{ts,tsx}'],
    mockReset: true,
    restoreMocks: true,
  },
})
