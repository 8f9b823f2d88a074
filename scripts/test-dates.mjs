#!/usr/bin/env node
/**
 * Runs the unit and integration suites with the whole process clock set to
 * other days (Debian's libfaketime, started at the given moment and ticking
 * from there), so a test that only passes on the day it was written fails
 * here, on any day. The moments cross a new year, a leap day into March, and
 * the spring switch to summer time in a zone that has one; each run also
 * uses another time zone than the machine's.
 *
 *   node scripts/test-dates.mjs            every moment below
 *   node scripts/test-dates.mjs 2          only the second one (1-based)
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const faketime = process.env.FAKETIME_PATH ?? '/usr/bin/faketime'

/** The moment the clock starts at, in the zone named beside it. */
const moments = [
  { start: '2027-01-01 00:00:30', zone: 'America/New_York', why: 'thirty seconds into a new year' },
  { start: '2028-02-29 23:59:30', zone: 'Asia/Tokyo', why: 'thirty seconds before midnight on a leap day, the month ends during the run' },
  { start: '2027-03-28 01:59:30', zone: 'Europe/Berlin', why: 'thirty seconds before the clocks go forward: the run is in summer time' },
]

const suites = [
  ['vitest', 'run', '--config', 'vitest.config.ts'],
  ['vitest', 'run', '--config', 'vitest.integration.config.ts'],
]

if (!existsSync(faketime)) {
  console.error(`drip: the date runs need Debian's faketime (sudo apt-get install -y faketime), or FAKETIME_PATH.`)
  process.exit(1)
}

const only = process.argv[2] === undefined ? undefined : Number(process.argv[2])
const chosen = only === undefined ? moments : [moments[only - 1]].filter(Boolean)
if (chosen.length === 0) {
  console.error(`drip: no moment ${process.argv[2]}; pick 1 to ${moments.length}.`)
  process.exit(1)
}

for (const moment of chosen) {
  for (const suite of suites) {
    console.log(`\ndrip: ${suite.join(' ')} at ${moment.start} ${moment.zone} (${moment.why})`)
    const result = spawnSync(faketime, ['-f', `@${moment.start}`, 'npx', ...suite], {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        TZ: moment.zone,
        // The clock Node reads for dates moves; the monotonic clock behind timers and performance.now stays real.
        FAKETIME_DONT_FAKE_MONOTONIC: '1',
      },
    })
    if (result.status !== 0) {
      console.error(`drip: ${suite.join(' ')} failed at ${moment.start} ${moment.zone}.`)
      process.exit(result.status ?? 1)
    }
  }
}
