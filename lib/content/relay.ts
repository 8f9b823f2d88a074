/**
 * The isolated world's half of the page bridge: relays payment requests
 * from its own window to the background and posts the outcome back. It only
 * forwards, bounded: the background takes the origin from the browser and
 * decides everything else.
 */
import { type BridgeResponse, isBridgeDelivery, isBridgeReceipt, isBridgeRequest, type Outcome, type PageRequest, responseTag } from '@/lib/protocol/pageBridge'

export type RelayTargets = {
  pay: (request: PageRequest) => Promise<Outcome>
  recordReceipt?: (url: string, receipt: string) => Promise<unknown>
  recordDelivery?: (authorization: string, status: number) => Promise<unknown>
}

/** The isolated half: relays requests from its own window to the background and posts the outcome back. */
export function relay(target: Window, { pay, recordReceipt, recordDelivery }: RelayTargets) {
  target.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== target) return
    if (isBridgeReceipt(event.data)) {
      void recordReceipt?.(event.data.url.slice(0, 2048), event.data.receipt.slice(0, 4096)).catch(() => undefined)
      return
    }
    if (isBridgeDelivery(event.data)) {
      void recordDelivery?.(event.data.authorization.slice(0, 16_384), event.data.status).catch(() => undefined)
      return
    }
    if (!isBridgeRequest(event.data)) return
    const { id, request } = event.data
    void pay({ url: request.url.slice(0, 4096), method: request.method.slice(0, 16), wwwAuthenticate: typeof request.wwwAuthenticate === 'string' ? request.wwwAuthenticate.slice(0, 16_384) : null })
      .catch((error: Error): Outcome => ({ outcome: 'refused', message: error.message }))
      .then((outcome) => target.postMessage({ drip: responseTag, id, outcome } satisfies BridgeResponse, target.location.origin))
  })
}
