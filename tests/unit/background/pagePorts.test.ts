import { describe, expect, test } from 'vitest'
import { RunningByOrigin } from '@/lib/background/servers/pagePorts'

describe('RunningByOrigin: what Revoke, Lock or a lower cap aborts', () => {
  test('stopping one origin aborts only its work; stopping all aborts the rest; finished work is not aborted', () => {
    const running = new RunningByOrigin()
    const [a1, a2, b, done] = [new AbortController(), new AbortController(), new AbortController(), new AbortController()]
    running.add(a1, 'https://a.example')
    running.add(a2, 'https://a.example')
    running.add(b, 'https://b.example')
    running.add(done, 'https://b.example')
    running.delete(done)
    running.stop('https://a.example')
    expect([a1, a2, b].map((c) => c.signal.aborted)).toEqual([true, true, false])
    running.stop()
    expect([b.signal.aborted, done.signal.aborted]).toEqual([true, false])
  })
})
