/**
 * The part of a page that Playwright and Puppeteer share, so one page object
 * serves both the Chromium and the Firefox runs.
 */
export type DriverPage = {
  locator(selector: string): { fill(value: string): Promise<unknown>; click(): Promise<unknown> }
  /** A function without arguments, or an expression string (both drivers accept either). */
  evaluate<R>(fn: (() => R | Promise<R>) | string): Promise<R>
}

/** Polls `read` until `accept` holds, and fails with the last value seen. */
export async function waitUntil<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs = 15_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  // The monotonic clock: a test may fake Date, and the wall clock may jump.
  const deadline = performance.now() + timeoutMs
  let last: T | undefined
  for (;;) {
    last = await read()
    if (accept(last)) return last
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last saw ${JSON.stringify(last)}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** Clicks the first button whose text is exactly `text`, inside `scope` (a CSS selector). */
export async function clickButton(page: DriverPage, text: string, scope = 'body'): Promise<void> {
  const clicked = await page.evaluate<boolean>(
    `(() => { const b = [...document.querySelectorAll(${JSON.stringify(`${scope} button`)})].find((b) => b.textContent.trim() === ${JSON.stringify(text)} && !b.disabled); if (b) b.click(); return !!b })()`,
  )
  if (!clicked) throw new Error(`No enabled "${text}" button in ${scope}.`)
}

/** Waits for an enabled button, then clicks it. */
export async function clickWhenReady(page: DriverPage, text: string, scope = 'body', timeoutMs = 15_000): Promise<void> {
  await waitUntil(
    () => clickButton(page, text, scope).then(() => true, () => false),
    (clicked) => clicked,
    { what: `an enabled "${text}" button`, timeoutMs },
  )
}

/** Drip's notice in any page (`content/pageNotice.ts`), or '' when none shows. */
export function pageNoticeText(page: DriverPage): Promise<string> {
  return page.evaluate(() => document.querySelector('drip-page-notice')?.getAttribute('data-text') ?? '')
}
