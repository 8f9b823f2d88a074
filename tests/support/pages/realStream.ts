import { waitUntil, type DriverPage } from './driver'

export type RealStreamView = { state: string; words: number; text: string; status: string; title: string; sawNamedEvent: boolean }

/** A demo page that reads a paid stream with its own EventSource or fetch (`demo/realPages.ts`). */
export class RealStreamPage {
  constructor(readonly page: DriverPage) {}

  read(): Promise<RealStreamView> {
    return this.page.evaluate(() => {
      const text = document.getElementById('text')!
      return {
        state: text.dataset.state ?? '',
        words: Number(text.dataset.words ?? 0),
        text: text.textContent ?? '',
        status: document.getElementById('status')?.textContent ?? '',
        title: document.querySelector('h1')?.textContent ?? '',
        sawNamedEvent: text.dataset.sawNamedEvent === 'true',
      }
    })
  }

  /** Waits for one of `states`; a read that lands while the page navigates (Drip may reload it) counts as no state yet. */
  waitForState(states: string[], timeoutMs = 30_000) {
    const reading = () => this.read().catch((): RealStreamView => ({ state: 'navigating', words: 0, text: '', status: '', title: '', sawNamedEvent: false }))
    return waitUntil(reading, (view) => states.includes(view.state), { what: `state ${states.join(' or ')}`, timeoutMs })
  }
}
