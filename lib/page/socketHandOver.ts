/**
 * Runs in the page's own (MAIN) world. Hands a paid socket over to Drip:
 * the isolated content script gets one end of a `MessageChannel` (a window
 * message only it hears, `content/socketRelay.ts`), and the port carries
 * `SocketCommand`s out and `SocketReport`s in. The socket side of
 * `handOver.ts`.
 */
import { type PaidSocket, pageSocketTag, type SocketCommand } from '@/lib/protocol/socketPort'

/** Opens a paid socket through the content script; the port carries `SocketCommand`s out and `SocketReport`s in. */
export type SocketHandOver = (socket: PaidSocket) => MessagePort

export function createSocketHandOver(target: Window): SocketHandOver {
  return (socket) => {
    const channel = new MessageChannel()
    target.postMessage({ drip: pageSocketTag, command: { type: 'open', socket } satisfies SocketCommand }, target.location.origin, [channel.port2])
    return channel.port1
  }
}
