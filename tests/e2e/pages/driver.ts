/**
 * The part of a page that Playwright and Puppeteer share, so one page object
 * serves both the Chromium and the Firefox runs.
 */
export type DriverPage = {
  locator(selector: string): { fill(value: string): Promise<unknown>; click(): Promise<unknown> }
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>
}

/** Polls `read` until `accept` holds, and fails with the last value seen. */
export async function waitUntil<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs = 15_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  for (;;) {
    last = await read()
    if (accept(last)) return last
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last saw ${JSON.stringify(last)}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
