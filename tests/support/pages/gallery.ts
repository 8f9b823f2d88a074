import { pageNoticeText, waitUntil, type DriverPage } from './driver'

/** The demo gallery page: a "Next photo" button whose script fetches a paid photo. */
export class GalleryPage {
  constructor(readonly page: DriverPage) {}

  /** One paid photo from the page's own fetch of `path` (the demo's photo API unless given), in ms (the benchmarks' unit). */
  paidPhotoMs(path = '/api/sessions/photo'): Promise<number> {
    return this.page.evaluate<number>(`(async () => {
      const start = performance.now()
      const response = await fetch(${JSON.stringify(path)})
      if (!response.ok) throw new Error('The photo was not paid: HTTP ' + response.status)
      await response.json()
      return performance.now() - start
    })()`)
  }

  /** The page's own POST of a binary body (every byte value) to the site's photo API: its status and the type of the photo's URL. */
  postBinaryPhoto(): Promise<[number, string]> {
    return this.page.evaluate<[number, string]>(`(async () => {
      const body = Uint8Array.from({ length: 256 }, (_, i) => i)
      const response = await fetch('/api/cross/photo', { method: 'POST', body })
      return [response.status, response.ok ? typeof (await response.json()).url : '']
    })()`)
  }

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

  /** Drip's notice in the page ('' when none shows). */
  noticeText() {
    return pageNoticeText(this.page)
  }

  /** Clicks "Next photo" on a site that waits for the reader's approval: the request waits, and Drip's notice says so. */
  async askUnapproved() {
    await this.nextPhoto()
    return waitUntil(() => this.noticeText(), (text) => /^Waiting for your approval in Drip/.test(text), {
      what: "Drip's waiting notice in the page",
    })
  }

  /** Waits until `count` photos show (a photo that waited for approval arrives with no click). */
  waitForPhotos(count: number, timeoutMs = 30_000) {
    return waitUntil(() => this.view(), (view) => view.photos >= count || /Could not|402/.test(view.status), { what: `${count} photos`, timeoutMs })
  }

  waitForStatus(predicate: (status: string) => boolean, what: string) {
    return waitUntil(() => this.view(), (view) => predicate(view.status), { what })
  }
}
