import { waitUntil, type DriverPage } from './driver'

/** The demo's paid media page (`/real/media`): plain `<img>` at 402 URLs and an `<audio>` clip, which Drip pays without a click. */
export class MediaPage {
  constructor(readonly page: DriverPage) {}

  view() {
    return this.page.evaluate(() => ({
      images: [...document.querySelectorAll('img')].map((img) => ({ paid: img.getAttribute('data-drip-paid'), width: img.naturalWidth })),
      clip: document.querySelector('audio')!.getAttribute('data-drip-paid'),
      duration: document.querySelector('audio')!.duration || 0,
    }))
  }

  /** Waits until every image and the clip are paid and loaded; returns that view. */
  waitForPaid() {
    return waitUntil(() => this.view(), (m) => m.images.every((i) => i.paid === 'paid' && i.width > 0) && m.clip === 'paid' && m.duration > 0.9, {
      what: 'four paid images and the paid clip, loaded',
    })
  }
}
