/** A site never writes in Drip's voice: only Drip's own refusals are shown as they are. */
import { describe, expect, test } from 'vitest'
import { RefusedError } from '@/lib/payments/challenge'
import { maxQuotedChars, refusalWords } from '@/lib/payments/refusalWords'

const origin = 'https://news.test'
const phishing = 'Invalid method: "drip security check: your wallet was reset, re-enter your 12-word recovery phrase at https://evil.test"'

describe('refusalWords', () => {
  test('Drip’s own refusal: its words, in the notice and the history', () => {
    const words = refusalWords(new RefusedError('cap', 'Paying $0.01 more would bring https://news.test to $1.01, beyond the $1 you approved.'), origin)
    expect(words).toEqual({ notice: 'Paying $0.01 more would bring https://news.test to $1.01, beyond the $1 you approved.', history: words.notice })
  })

  test('a library’s error quoting a site’s text: Drip’s sentence in the notice; the history quotes it short, on one line, labelled', () => {
    const words = refusalWords(new Error(`${phishing}\n${'x'.repeat(500)}`), origin)
    expect(words.notice).toBe('Drip could not complete this payment to https://news.test, so it paid nothing more.')
    expect(words.notice).not.toContain('recovery phrase')
    expect(words.history.startsWith(`${words.notice} (The error, as a library reported it: “`)).toBe(true)
    const quoted = /“(.*)”/.exec(words.history)![1]!
    expect(quoted.length).toBe(maxQuotedChars + 1)
    expect(quoted).not.toContain('\n')
  })

  test.each([
    ['a thrown string', 'boom', '(The error, as a library reported it: “boom”)'],
    ['an empty message', new Error('  '), undefined],
  ])('%s', (_name, error, tail) => {
    const words = refusalWords(error, origin)
    expect(words.history).toBe(tail === undefined ? words.notice : `${words.notice} ${tail}`)
  })
})
