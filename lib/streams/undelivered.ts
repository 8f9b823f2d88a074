/**
 * Paid responses the page may not have received. When Chrome ends the
 * worker after the site was paid and answered but before the page had the
 * answer, the page's request is handed over again: it gets the kept
 * response instead of paying the site a second time. Kept in session
 * storage (it outlives the worker, not the browser), for a minute, small
 * bodies only, and dropped once the page confirms it has the response.
 */
import { Serial } from '@/lib/shared/serial'
import { concat, keccak256, stringToBytes } from 'viem'
import type { PaidRequest } from '@/lib/protocol/requestPort'
import type { UndeliveredResponse } from '@/lib/storage/records'
import type { AccountItems } from '@/lib/storage/schema'

export type { UndeliveredResponse } from '@/lib/storage/records'

/** A response is kept this long for the page's retry. */
export const keepMs = 60_000
/** Larger bodies are streamed to the page and never kept. */
export const maxKeptBytes = 256 * 1024
/** At most this many responses are kept; the oldest go first. */
export const maxKept = 20

/** The same request: method, URL and body. */
export function requestKey(request: PaidRequest): string {
  return keccak256(concat([stringToBytes(`${request.method} ${request.url} `), request.body ?? new Uint8Array()]))
}

/**
 * The kept responses, in memory as in session storage: this worker is their
 * only writer, so only changes touch storage (each is stored before the
 * memory copy takes it), one at a time.
 */
export class Undelivered {
  private readonly item: AccountItems['undelivered']
  private readonly serial = new Serial()
  private cached: Promise<UndeliveredResponse[]> | undefined

  constructor(
    items: Pick<AccountItems, 'undelivered'>,
    private readonly now: () => number = Date.now,
  ) {
    this.item = items.undelivered
  }

  private kept(): Promise<UndeliveredResponse[]> {
    this.cached ??= this.item.getValue().catch((error: unknown) => {
      this.cached = undefined
      throw error
    })
    return this.cached
  }

  /** Stores the list `change` makes of the kept responses (unless it returns the same list), then keeps it in memory. */
  private change<T>(change: (all: UndeliveredResponse[]) => { next: UndeliveredResponse[]; result: T }): Promise<T> {
    return this.serial.run('undelivered', async () => {
      const all = await this.kept()
      const { next, result } = change(all)
      if (next !== all) {
        await this.item.setValue(next)
        this.cached = Promise.resolve(next)
      }
      return result
    })
  }

  /** Keeps a paid response before it is posted to the page. */
  keep(response: UndeliveredResponse): Promise<void> {
    return this.change((all) => ({ next: [response, ...all.filter((kept) => this.now() - kept.at < keepMs)].slice(0, maxKept), result: undefined }))
  }

  /** The kept response to this same request of this origin, if any, removed as it is taken. */
  take(origin: string, key: string): Promise<UndeliveredResponse | undefined> {
    return this.change((all) => {
      const found = all.find((kept) => kept.origin === origin && kept.key === key && this.now() - kept.at < keepMs)
      return { next: found ? all.filter((kept) => kept !== found) : all, result: found }
    })
  }

  /** The page has the response: nothing to keep. */
  confirm(origin: string, key: string): Promise<void> {
    return this.change((all) => ({
      next: all.some((kept) => kept.origin === origin && kept.key === key) ? all.filter((kept) => !(kept.origin === origin && kept.key === key)) : all,
      result: undefined,
    }))
  }
}
