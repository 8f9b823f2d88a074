/**
 * Keeps `entrypoints/paying-site.content.ts` registered for exactly the
 * sites that pay: those the reader approved and those waiting for the
 * reader, of the current account. On those sites it tells Drip's page-world
 * script, before any of the page's own scripts runs, that the site paid when
 * the page began to load (`page/payingSiteHint.ts`); on every other site
 * nothing of it runs, so a socket the page makes before Drip's answer is
 * the browser's own. Kept in step with storage: at start, and whenever the
 * account, its approvals or its waiting sites change.
 */
import { browser, type Browser } from 'wxt/browser'
import * as Schema from '@/lib/storage/schema'

export const payingSiteScriptId = 'paying-site'
const payingSiteScriptFile = 'content-scripts/paying-site.js'

/** What this module needs of `browser.scripting` (a fake in tests). */
export type ScriptRegistry = Pick<typeof browser.scripting, 'getRegisteredContentScripts' | 'registerContentScripts' | 'updateContentScripts' | 'unregisterContentScripts'>

/**
 * The match patterns of `origins` (page origins, as approvals and waiting sites are keyed): one per http(s) origin.
 * Firefox's match patterns take no port (one with a port matches nothing), so there a pattern covers the host's
 * every port: a site on another port of it only waits for Drip's answer, as every site did before this script.
 */
export function payingSiteMatches(origins: readonly string[], firefox: boolean): string[] {
  const patterns = new Set<string>()
  for (const origin of origins) {
    if (!URL.canParse(origin)) continue
    const url = new URL(origin)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue
    patterns.add(`${url.protocol}//${firefox ? url.hostname : url.host}/*`)
  }
  return [...patterns].sort()
}

/** The current account's approved and waiting sites, read from storage (not from a copy kept in memory). */
async function payingOrigins(): Promise<string[]> {
  const address = (await Schema.vault.getValue())?.address
  if (!address) return []
  const items = Schema.accountItems(address)
  const [approvals, pending] = await Promise.all([items.approvals.getValue(), items.pending.getValue()])
  return [...Object.keys(approvals), ...Object.keys(pending)]
}

/** Registers, updates or removes the script so that it matches `matches`; nothing is called when it already does. */
export async function registerPayingSiteScript(registry: ScriptRegistry, matches: string[]): Promise<void> {
  const [current] = await registry.getRegisteredContentScripts({ ids: [payingSiteScriptId] })
  if (current && sameList([...(current.matches ?? [])].sort(), matches)) return
  if (!matches.length) return current ? registry.unregisterContentScripts({ ids: [payingSiteScriptId] }) : undefined
  const script: Browser.scripting.RegisteredContentScript = {
    id: payingSiteScriptId,
    js: [payingSiteScriptFile],
    matches,
    runAt: 'document_start',
    world: 'MAIN',
    allFrames: false,
    persistAcrossSessions: true,
  }
  await (current ? registry.updateContentScripts([script]) : registry.registerContentScripts([script]))
}

/** The storage keys whose change can change the paying sites: the account, its approvals, its waiting sites. */
function changesPayingSites(key: string): boolean {
  return key === Schema.vault.key.slice('local:'.length) || key.startsWith('approvals:') || key.startsWith('pending:')
}

/** Wiring: registers the script for the paying sites once storage is `ready`, and again whenever they change. */
export function keepPayingSiteScriptCurrent(options: { firefox: boolean; ready: Promise<void>; registry?: ScriptRegistry }): void {
  const registry = options.registry ?? browser.scripting
  let syncing = options.ready
  const sync = () => {
    syncing = syncing
      .then(async () => registerPayingSiteScript(registry, payingSiteMatches(await payingOrigins(), options.firefox)))
      // A failed registration leaves the sites' early sockets waiting for Drip's answer, as before: logged, never thrown.
      .catch((error: unknown) => console.error('Drip could not register its script for paying sites:', error))
  }
  browser.storage.local.onChanged.addListener((changes) => {
    if (Object.keys(changes).some(changesPayingSites)) sync()
  })
  sync()
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i])
}
