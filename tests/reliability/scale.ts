/**
 * How hard the reliability suite pushes: `RELIABILITY=full` (npm run
 * test:reliability) or the short form CI runs inside `npm test`. Every run
 * is seeded, so a failure reproduces with the same `RELIABILITY_SEED`.
 */
export const full = process.env.RELIABILITY === 'full'
export const seed = Number(process.env.RELIABILITY_SEED ?? 20261122)
export const fuzzCases = full ? 10_000 : 2_000
export const workerKills = full ? 20 : 5
export const tabs = full ? 10 : 4

/** mulberry32: a small seeded PRNG, so the fuzz is the same on every machine. */
export function random(seedValue = seed) {
  let state = seedValue >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
    text: (length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 :\n\r"{}<>&é漢😀\u0000') =>
      Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
  }
}

export type Random = ReturnType<typeof random>

/** Figures a test adds to; printed in one table when the file ends. */
export function figures(title: string) {
  const rows = new Map<string, number>()
  return {
    /** Rows that must read 0: printed even when nothing was added to them. */
    expectZero(...names: string[]) {
      for (const name of names) rows.set(name, rows.get(name) ?? 0)
    },
    add(name: string, value = 1) {
      rows.set(name, (rows.get(name) ?? 0) + value)
    },
    get: (name: string) => rows.get(name) ?? 0,
    print() {
      const width = Math.max(...[...rows.keys()].map((k) => k.length))
      const lines = [...rows].map(([name, value]) => `  ${name.padEnd(width)}  ${value.toLocaleString('en-US')}`)
      console.log(`\n${title} (${full ? 'full' : 'short'} run, seed ${seed})\n${lines.join('\n')}\n`)
    },
  }
}
