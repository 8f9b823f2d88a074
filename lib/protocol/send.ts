/**
 * The popup's and content scripts' side of the protocol: send a request,
 * unwrap the answer. The browser's `runtime.sendMessage` is given by the
 * entry that uses it, so this file, like all of `protocol/`, imports no
 * browser API.
 */
import type { Method, PageMethod, Params, PopupMethod, Request, Response, Result } from './messages'

export class MessagingError extends Error {
  override name = 'MessagingError'
}

/** Sends a request to the background and unwraps its answer; a refusal becomes a thrown Error. Typed for one direction's methods. */
export type Send<Allowed extends Method = Method> = <M extends Allowed>(method: M, ...[params]: Params<M> extends void ? [] : [Params<M>]) => Promise<Result<M>>
export type PageSend = Send<PageMethod>
export type PopupSend = Send<PopupMethod>

export function createSend<Allowed extends Method = Method>(sendMessage: (request: Request) => Promise<unknown>): Send<Allowed> {
  return async (method, ...[params]) => {
    const request: Request = { drip: 1, method, params }
    const response = (await sendMessage(request)) as Response | undefined
    if (!response) throw new MessagingError(`Drip's background did not answer "${method}".`)
    if (!response.ok) throw new MessagingError(response.error)
    return response.result as Result<typeof method>
  }
}
