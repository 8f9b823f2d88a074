import { describe, expect, test } from 'vitest'
import { asTheBrowser, scriptOf, withoutOwnFrames } from '@/lib/page/ownFrames'

const chromeScript = 'chrome-extension://abcdefgh/content-scripts/page-fetch.js'
const chromeStack = [
  'TypeError: Failed to fetch',
  `    at m (${chromeScript}:1:2815)`,
  `    at Object.apply (${chromeScript}:1:900)`,
  '    at load (https://site.test/app.js:4:27)',
  '    at https://site.test/app.js:9:3',
].join('\n')
const firefoxStack = ['y@<anonymous code>:3:418', 'apply@<anonymous code>:3:170', 'load@https://site.test/app.js:4:27', '@https://site.test/app.js:9:3'].join('\n')

describe("Drip's frames in the page's errors", () => {
  test.each([
    { what: "Chrome's stack: the extension script's URL", stack: chromeStack, script: chromeScript },
    { what: "Firefox's stack: its name for page-world extension code", stack: firefoxStack, script: '<anonymous code>' },
    { what: 'a frame without a function name', stack: 'Error\n    at https://site.test/a.js:1:2', script: 'https://site.test/a.js' },
    { what: 'no frames', stack: 'Error: nothing', script: undefined },
  ])('where a stack starts, $what', ({ stack, script }) => {
    expect(scriptOf(stack)).toBe(script)
  })

  test.each([
    { what: 'Chrome', stack: chromeStack, script: chromeScript, left: 'TypeError: Failed to fetch\n    at load (https://site.test/app.js:4:27)\n    at https://site.test/app.js:9:3' },
    { what: 'Firefox', stack: firefoxStack, script: '<anonymous code>', left: 'load@https://site.test/app.js:4:27\n@https://site.test/app.js:9:3' },
  ])('are taken out, and only they ($what)', ({ stack, script, left }) => {
    const error = new TypeError('Failed to fetch')
    error.stack = stack
    expect(withoutOwnFrames(error, script)).toBe(error)
    expect(error.stack).toBe(left)
  })

  test('an error without Drip frames, a value that is not an error, and no known script are left as they are', () => {
    const error = new Error('x')
    error.stack = 'Error: x\n    at load (https://site.test/app.js:4:27)'
    expect(withoutOwnFrames(error, chromeScript).stack).toBe('Error: x\n    at load (https://site.test/app.js:4:27)')
    expect(withoutOwnFrames('a string', chromeScript)).toBe('a string')
    expect(withoutOwnFrames(null, chromeScript)).toBeNull()
    const untouched = new Error('y')
    const before = untouched.stack
    expect(withoutOwnFrames(untouched, undefined).stack).toBe(before)
  })

  test('what the browser throws through a wrapper reaches the page, the same object; what it returns too', () => {
    const thrown = new DOMException('bad', 'SyntaxError')
    let caught: unknown
    try {
      asTheBrowser(() => {
        throw thrown
      })
    } catch (error) {
      caught = error
    }
    expect(caught).toBe(thrown)
    expect(asTheBrowser(() => 42)).toBe(42)
  })
})
