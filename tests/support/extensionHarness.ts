/**
 * Drives the background's messaging router in Node with WXT's fake browser,
 * as the popup (an extension page) or a content script on some page would.
 */
import type { Browser } from 'wxt/browser'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import type * as Messaging from '@/lib/protocol/messages'

const extensionOrigin = 'chrome-extension://test-extension-id'

export const popupSender: Browser.runtime.MessageSender = { id: 'test-extension-id', url: `${extensionOrigin}/popup.html` }

export function pageSender(url: string, tabId = 1): Browser.runtime.MessageSender {
  return { id: 'test-extension-id', url, origin: new URL(url).origin, tab: { id: tabId } as Browser.tabs.Tab }
}

export async function call<M extends Messaging.Method>(
  sender: Browser.runtime.MessageSender,
  method: M,
  ...[params]: Messaging.Params<M> extends void ? [] : [Messaging.Params<M>]
): Promise<Messaging.Result<M>> {
  const response = await new Promise<{ ok: boolean; result?: unknown; error?: string }>((resolve) => {
    void fakeBrowser.runtime.onMessage.trigger({ drip: 1, method, params }, sender, resolve)
  })
  if (!response.ok) throw new Error(response.error)
  return response.result as Messaging.Result<M>
}
