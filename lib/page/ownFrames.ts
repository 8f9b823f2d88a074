/**
 * Runs in the page's own (MAIN) world. An error the browser raises inside
 * one of Drip's wrappers (a failed `fetch`, a method or constructor the page
 * called with bad arguments) carries Drip's frames in its stack: it would
 * name Drip's script to the page and to its error reporting (Sentry). The
 * page gets it as the browser would have given it, with Drip's frames taken
 * out.
 */

/**
 * Where a stack's first frame is: Chrome's `    at main (chrome-extension://id/content-scripts/page-fetch.js:9:1)`
 * gives the script's URL; Firefox's `main@<anonymous code>:9:1` (it names no page-world extension script) gives
 * `<anonymous code>`.
 */
export function scriptOf(stack: string | undefined): string | undefined {
  for (const line of (stack ?? '').split('\n')) {
    const location = /(?:\(|@|at )([^()@]+?):\d+:\d+\)?\s*$/.exec(line)?.[1]
    if (location) return location.trim()
  }
  return undefined
}

/** This script, as stacks name it. */
const ownScript = scriptOf(new Error().stack)

/** `error` with the stack lines that name `script` (Drip's) removed; anything else as it is. */
export function withoutOwnFrames<T>(error: T, script: string | undefined = ownScript): T {
  if (!script || typeof error !== 'object' || error === null) return error
  const stack = (error as { stack?: unknown }).stack
  if (typeof stack !== 'string' || !stack.includes(`${script}:`)) return error
  try {
    ;(error as unknown as { stack: string }).stack = stack
      .split('\n')
      .filter((line) => !line.includes(`${script}:`))
      .join('\n')
  } catch {
    // A stack that cannot be written keeps Drip's frames.
  }
  return error
}

/** Runs the browser's own `call`; what it throws reaches the page without Drip's frames. */
export function asTheBrowser<T>(call: () => T): T {
  try {
    return call()
  } catch (error) {
    throw withoutOwnFrames(error)
  }
}
