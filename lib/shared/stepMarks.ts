/**
 * Marks one step of a paid request on the performance timeline of the
 * context it runs in (the page, the content script, the worker), for
 * `npm run bench:steps`, which builds Drip with `WXT_STEP_MARKS=1` into a
 * folder of its own. In every other build the flag is false at build time
 * and nothing is marked: a page would see marks on its own timeline.
 */
export const stepMarks = import.meta.env.WXT_STEP_MARKS === '1'

/** Marks `step` now, in a build for `npm run bench:steps` only. */
export function stepMark(step: string): void {
  if (stepMarks) performance.mark(step)
}

/** `work`, its start marked `step` and its end `step done`, in a build for `npm run bench:steps` only. */
export function stepMarked<T>(step: string, work: () => Promise<T>): Promise<T> {
  if (!stepMarks) return work()
  performance.mark(step)
  const running = work()
  void running.then(
    () => performance.mark(`${step} done`),
    () => undefined,
  )
  return running
}
