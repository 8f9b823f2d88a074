import { waitUntil, type DriverPage } from './driver'

/** The demo gallery page: a "Next photo" button whose script fetches a paid photo. */
export class GalleryPage {
  constructor(readonly page: DriverPage) {}

  async nextPhoto() {
    await this.page.locator('#next').click()
  }

  view() {
    return this.page.evaluate(() => ({
      status: document.getElementById('status')?.textContent ?? '',
      photos: document.querySelectorAll('#photos img').length,
    }))
  }

  waitForStatus(predicate: (status: string) => boolean, what: string) {
    return waitUntil(() => this.view(), (view) => predicate(view.status), { what })
  }
}
