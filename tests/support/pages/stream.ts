import { waitUntil, type DriverPage } from './driver'

export type StreamState = { state: string | null; words: number; text: string; overlay: string }

/** A page with a declared `[data-mpp-stream]` element, as Drip renders it. */
export class StreamPage {
  constructor(readonly page: DriverPage) {}

  read(): Promise<StreamState> {
    return this.page.evaluate(() => {
      const element = document.querySelector('[data-mpp-stream]')
      return {
        state: element?.getAttribute('data-mpp-state') ?? null,
        words: Number(element?.getAttribute('data-mpp-words') ?? 0),
        text: (element as HTMLElement | null)?.innerText ?? '',
        overlay: document.querySelector('drip-stream-overlay')?.getAttribute('data-text') ?? '',
      }
    })
  }

  /** Waits for one of `states`; a read that lands while the page navigates (Drip may reload it) counts as no state yet. */
  waitForState(states: string[], timeoutMs = 30_000) {
    const reading = () => this.read().catch((): StreamState => ({ state: null, words: 0, text: '', overlay: '' }))
    return waitUntil(reading, (s) => s.state !== null && states.includes(s.state), { what: `stream state ${states.join('/')}`, timeoutMs })
  }
}
