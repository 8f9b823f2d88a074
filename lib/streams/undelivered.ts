/**
 * Paid responses the page may not have received. When Chrome ends the
 * worker after the site was paid and answered but before the page had the
 * answer, the page's request is handed over again: it gets the kept
 * response instead of paying the site a second time. Kept in session
 * storage (it outlives the worker, not the browser), for a minute, small
 * bodies only, and dropped once the page confirms it has the response.
 */
import { keccak256, toHex } from 'viem'
import type { PaidRequest } from '@/lib/protocol/requestPort'
import type { AccountItems } from '@/lib/storage/schema'

export type UndeliveredResponse = {
  origin: string
  /** The request it answers (`requestKey`). */
  key: string
  status: number
  statusText: string
  headers: [string, string][]
  url: string
  /** The body, base64. */
  body: string
  /** When it was kept, in ms since the epoch. */
  at: number
}

/** A response is kept this long for the page's retry. */
export const keepMs = 60_000
/** Larger bodies are streamed to the page and never kept. */
export const maxKeptBytes = 256 * 1024
/** At most this many responses are kept; the oldest go first. */
export const maxKept = 20

/** The same request: method, URL and body. */
export function requestKey(request: PaidRequest): string {
  return keccak256(toHex(`${request.method} ${request.url} ${request.body ?? ''}`))
}

export class Undelivered {
  private readonly item: AccountItems['undelivered']

  constructor(
    items: Pick<AccountItems, 'undelivered'>,
    private readonly now: () => number = Date.now,
  ) {
    this.item = items.undelivered
  }

  /** Keeps a paid response before it is posted to the page. */
  async keep(response: UndeliveredResponse): Promise<void> {
    const fresh = (await this.item.getValue()).filter((kept) => this.now() - kept.at < keepMs)
    await this.item.setValue([response, ...fresh].slice(0, maxKept))
  }

  /** The kept response to this same request of this origin, if any, removed as it is taken. */
  async take(origin: string, key: string): Promise<UndeliveredResponse | undefined> {
    const all = await this.item.getValue()
    const found = all.find((kept) => kept.origin === origin && kept.key === key && this.now() - kept.at < keepMs)
    if (found) await this.item.setValue(all.filter((kept) => kept !== found))
    return found
  }

  /** The page has the response: nothing to keep. */
  async confirm(origin: string, key: string): Promise<void> {
    const all = await this.item.getValue()
    if (all.some((kept) => kept.origin === origin && kept.key === key)) await this.item.setValue(all.filter((kept) => !(kept.origin === origin && kept.key === key)))
  }
}
