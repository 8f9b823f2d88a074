/**
 * The isolated world's half of `page/siteStatus.ts`: keeps the page
 * world's port and tells it whether the site pays (approved, or waiting for
 * the reader's approval), at start and whenever Drip's answer changes.
 */
import { siteStatusTag } from '@/lib/protocol/pageBridge'
import { receiveHandOvers } from './handOvers'

export function tellSiteStatus(target: Window): { update(pays: boolean): void } {
  const ports: MessagePort[] = []
  let pays: boolean | undefined
  receiveHandOvers(target, siteStatusTag, (port) => {
    ports.push(port)
    if (pays !== undefined) port.postMessage({ pays })
  })
  return {
    update(value) {
      pays = value
      for (const port of ports) port.postMessage({ pays })
    },
  }
}
