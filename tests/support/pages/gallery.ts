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

  /** Clicks "Next photo" `count` times, each time waiting for the photo or a failure; returns the last view. */
  async showPhotos(count: number, timeoutMs = 30_000) {
    for (let i = 0; i < count; i++) {
      const photos = (await this.view()).photos
      await this.nextPhoto()
      const view = await waitUntil(() => this.view(), (v) => v.photos > photos || /Could not|402/.test(v.status), { what: `photo ${i + 1}`, timeoutMs })
      if (view.photos === photos) return view
    }
    return this.view()
  }

  waitForStatus(predicate: (status: string) => boolean, what: string) {
    return waitUntil(() => this.view(), (view) => predicate(view.status), { what })
  }
}
