/**
 * The small live counter Drip shows above a paid stream, in a shadow root so
 * the page's styles cannot reach it (and it cannot reach the page's).
 */
export type OverlayHandlers = { onPause: () => void; onResume: () => void; onStop: () => void }

export type Overlay = {
  progress(words: number, spent: string, remaining: string): void
  notice(text: string, tone: 'info' | 'error'): void
  finished(): void
}

const css = `
  :host { all: initial; }
  .bar { font: 12px/1.4 system-ui, sans-serif; display: flex; gap: 8px; align-items: center; flex-wrap: wrap;
         padding: 4px 8px; margin: 6px 0; border-radius: 6px; background: #eef4ff; color: #0b3a8a; border: 1px solid #1f6feb55; }
  .bar.error { background: #fff0f0; color: #82071e; border-color: #cf222e55; }
  button { font: inherit; padding: 1px 8px; border-radius: 4px; border: 1px solid currentColor; background: transparent; color: inherit; cursor: pointer; }
  button[hidden] { display: none; }
`

export function mount(before: HTMLElement, handlers: OverlayHandlers): Overlay {
  const host = document.createElement('drip-stream-overlay')
  before.before(host)
  // Open, so assistive tech and tests can reach the buttons; the page could remove the host anyway.
  const root = host.attachShadow({ mode: 'open' })
  root.innerHTML = `<style>${css}</style><div class="bar" role="status" aria-live="polite"><strong>Drip</strong><span class="text">Connecting…</span><button class="pause" type="button">Pause</button><button class="stop" type="button">Stop</button></div>`
  const bar = root.querySelector<HTMLDivElement>('.bar')!
  const text = root.querySelector<HTMLSpanElement>('.text')!
  const pause = root.querySelector<HTMLButtonElement>('.pause')!
  const stop = root.querySelector<HTMLButtonElement>('.stop')!
  let paused = false
  pause.addEventListener('click', () => {
    paused = !paused
    pause.textContent = paused ? 'Resume' : 'Pause'
    if (paused) handlers.onPause()
    else handlers.onResume()
  })
  stop.addEventListener('click', () => handlers.onStop())
  // Tests and assistive tech read the state from the host element.
  const mirror = (value: string) => host.setAttribute('data-text', value)
  return {
    progress(words, spent, remaining) {
      const value = `${words} words · ${spent} spent · ${remaining} left of the approval`
      text.textContent = value
      mirror(value)
    },
    notice(value, tone) {
      text.textContent = value
      mirror(value)
      bar.classList.toggle('error', tone === 'error')
    },
    finished() {
      pause.hidden = true
      stop.hidden = true
    },
  }
}
