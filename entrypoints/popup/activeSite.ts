/** The tab the reader is looking at (the popup opens over it) and its site, or null for a tab that is no web page. */
import { useQuery } from '@tanstack/react-query'
import { browser } from 'wxt/browser'

export function useActiveSite() {
  return useQuery({
    queryKey: ['activeSite'],
    queryFn: async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true })
      // With Drip's host access the browser tells the tab's URL (no "tabs" permission needed).
      const url = tab?.url && URL.canParse(tab.url) ? new URL(tab.url) : undefined
      return tab?.id !== undefined && url && /^https?:$/.test(url.protocol) ? { tabId: tab.id, origin: url.origin } : null
    },
  })
}
