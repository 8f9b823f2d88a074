/**
 * Where approvals and pending requests live: `browser.storage.local`,
 * namespaced by account so another account never inherits a site's cap.
 * Denials last for the browser session.
 */
import type { Address } from 'viem'
import { storage } from 'wxt/utils/storage'
import type { SessionChallenge } from './challenge'
import * as Policy from './policy'
import { Serial } from './serial'

type ByOrigin<T> = Record<string, T>

export class Approvals {
  private serial = new Serial()

  constructor(private readonly account: Address) {}

  private key(kind: 'approvals' | 'pending'): `local:${string}` {
    return `local:${kind}:${this.account.toLowerCase()}`
  }

  private deniedKey(): `session:${string}` {
    return `session:denied:${this.account.toLowerCase()}`
  }

  async list(): Promise<Policy.Approval[]> {
    return Object.values((await storage.getItem<ByOrigin<Policy.Approval>>(this.key('approvals'))) ?? {})
  }

  async get(origin: string): Promise<Policy.Approval | undefined> {
    return ((await storage.getItem<ByOrigin<Policy.Approval>>(this.key('approvals'))) ?? {})[origin]
  }

  /** Grants (or replaces) a site's approval and clears its pending request. */
  async grant(approval: Policy.Approval): Promise<void> {
    await this.update<Policy.Approval>('approvals', (all) => ({ ...all, [approval.origin]: approval }))
    await this.update<Policy.PendingRequest>('pending', ({ [approval.origin]: _, ...rest }) => rest)
    await this.undeny(approval.origin)
  }

  /** Stops payments to a site at once. */
  async revoke(origin: string): Promise<boolean> {
    let existed = false
    await this.update<Policy.Approval>('approvals', ({ [origin]: removed, ...rest }) => {
      existed = removed !== undefined
      return rest
    })
    return existed
  }

  async pending(): Promise<Policy.PendingRequest[]> {
    return Object.values((await storage.getItem<ByOrigin<Policy.PendingRequest>>(this.key('pending'))) ?? {})
  }

  async pendingFor(origin: string): Promise<Policy.PendingRequest | undefined> {
    return ((await storage.getItem<ByOrigin<Policy.PendingRequest>>(this.key('pending'))) ?? {})[origin]
  }

  /** Queues a site's 402 for the user, unless the user denied the site this session. */
  async recordPending(challenge: SessionChallenge, origin: string): Promise<'queued' | 'denied'> {
    if ((await this.denied()).includes(origin)) return 'denied'
    await this.update<Policy.PendingRequest>('pending', (all) => ({ ...all, [origin]: Policy.pendingFrom(challenge, origin, all[origin]) }))
    return 'queued'
  }

  async deny(origin: string): Promise<void> {
    await this.update<Policy.PendingRequest>('pending', ({ [origin]: _, ...rest }) => rest)
    const denied = await this.denied()
    if (!denied.includes(origin)) await storage.setItem(this.deniedKey(), [...denied, origin])
  }

  private async undeny(origin: string) {
    const denied = await this.denied()
    if (denied.includes(origin)) await storage.setItem(this.deniedKey(), denied.filter((o) => o !== origin))
  }

  private async denied(): Promise<string[]> {
    return (await storage.getItem<string[]>(this.deniedKey())) ?? []
  }

  private update<T>(kind: 'approvals' | 'pending', change: (all: ByOrigin<T>) => ByOrigin<T>) {
    return this.serial.run(kind, async () => {
      const all = (await storage.getItem<ByOrigin<T>>(this.key(kind))) ?? {}
      await storage.setItem(this.key(kind), change(all))
    })
  }
}
