import { defineConfig } from 'wxt'
import { paymentsScript } from './lib/background/lazyPayments'

/** Fixed add-on id: Firefox keys storage and the moz-extension UUID pref on it. */
export const geckoId = 'drip@drip-wallet.dev'

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  hooks: {
    // Chrome's worker loads the payment code when it needs it (`lib/background/lazyPayments.ts`); Firefox's background
    // page cannot load a script synchronously later, so it lists the payment code before the entry.
    'build:manifestGenerated': (wxt, manifest) => {
      const background = manifest.background as { scripts?: string[] } | undefined
      if (wxt.config.browser === 'firefox' && background?.scripts) background.scripts.unshift(paymentsScript.slice(1))
      // Chrome's runtime messages are JSON unless the manifest asks for structured clone (Chrome 148 and later);
      // Firefox always clones and does not know the key.
      if (wxt.config.browser !== 'firefox') Object.assign(manifest, { message_serialization: 'structured_clone', minimum_chrome_version: '148' })
    },
  },
  manifestVersion: 3,
  // `npm run bench:steps` builds Drip with its step marks (`lib/shared/stepMarks.ts`) into a folder of its own.
  ...(process.env.WXT_STEP_MARKS === '1' ? { outDirTemplate: '{{browser}}-mv{{manifestVersion}}-step-marks' } : {}),
  manifest: {
    name: 'Drip',
    description: 'Pay for metered web content with MPP payment channels on Tempo.',
    permissions: ['storage', 'alarms', 'webRequest', 'notifications', 'declarativeNetRequestWithHostAccess', 'scripting'],
    // The background reads chain state from user-configured RPC URLs and
    // re-fetches 402 challenges that CORS hides from pages.
    host_permissions: ['<all_urls>'],
    // Chrome's default for extension pages. Firefox's adds `upgrade-insecure-requests`, which turned every request
    // Drip's background makes to an http site by name into https (ws: into wss:), and it failed before reaching the
    // site; at 127.0.0.1 only the socket (`firefox.smoke` visits the demo by name).
    content_security_policy: { extension_pages: "script-src 'self'; object-src 'self'" },
    action: { default_title: 'Drip' },
    icons: { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' },
    browser_specific_settings: {
      gecko: {
        id: geckoId,
        strict_min_version: '142.0',
        data_collection_permissions: { required: ['none'] },
      },
      gecko_android: { strict_min_version: '142.0' },
    },
  },
})
