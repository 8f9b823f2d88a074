import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * End-to-end tests: the built extension in real Chromium and Firefox.
 * One browser at a time (2 cores), so files run one after another. No WXT
 * plugin here (the tests drive browsers, not the fake one), so the `@` alias
 * is set by hand.
 */
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 90_000,
    globalSetup: ['tests/e2e/globalSetup.ts'],
  },
})
