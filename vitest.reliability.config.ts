import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { WxtVitest } from 'wxt/testing/vitest-plugin'

/**
 * The reliability suite (`npm run test:reliability`, short form in `npm
 * test`): seeded fuzz in Node against WXT's fake browser, and fault runs
 * with the built extension in Chromium, one browser at a time. Each file
 * prints its figures.
 */
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest()],
        test: { name: 'fuzz', include: ['tests/reliability/**/*.fuzz.test.ts'], setupFiles: ['tests/support/indexedDb.ts'], testTimeout: 300_000 },
      },
      {
        resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
        test: {
          name: 'browser',
          include: ['tests/reliability/**/*.browser.test.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 90_000,
          globalSetup: ['tests/e2e/globalSetup.ts'],
        },
      },
    ],
  },
})
