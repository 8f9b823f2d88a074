/**
 * For benchmarks that run the demo site in their own process: the site's own
 * time for each paid request to a path, from the request's arrival in the
 * site's process to its answer's head, on the wall clock. Beside a
 * client's own timing of the same request it splits "the site's part" into
 * the site's handling and the network path around it. It watches every
 * `node:http` server of the process from the moment it is called.
 */
import { type IncomingMessage, Server, type ServerResponse } from 'node:http'

export type SiteTiming = { arrived: number; head: number }

const wallClock = () => performance.timeOrigin + performance.now()

export function watchPaidRequests(path: string): SiteTiming[] {
  const seen: SiteTiming[] = []
  const emit = Server.prototype.emit
  Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const [request, response] = args as [IncomingMessage, ServerResponse]
      if (request.url?.startsWith(path) && request.headers.authorization) {
        const arrived = wallClock()
        const writeHead = response.writeHead
        response.writeHead = function (this: ServerResponse, ...head: unknown[]) {
          seen.push({ arrived, head: wallClock() })
          return (writeHead as (...args: unknown[]) => ServerResponse).apply(this, head)
        } as typeof response.writeHead
      }
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>)
  } as typeof Server.prototype.emit
  return seen
}

/** The site's own handling, head minus arrival, of each request seen (ms). */
export function handlingMs(seen: SiteTiming[]): number[] {
  return seen.map((timing) => timing.head - timing.arrived)
}
