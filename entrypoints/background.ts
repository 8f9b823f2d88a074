import { browser } from 'wxt/browser'
import * as Messaging from '@/lib/messaging'
import { createHandlers } from '@/lib/service'

export default defineBackground(() => {
  Messaging.listen(createHandlers({ version: browser.runtime.getManifest().version }))
})
