/**
 * Which words of a paid stream a connection must charge. Every read is
 * charged one unit per word it sends; a reader that lost its connection
 * comes back with `Last-Event-ID: N` (the words it has) and takes over the
 * read it left, so the word that was charged but lost in flight is sent
 * again free. Reads are kept per channel and path, so ten tabs reading the
 * same poem on one channel are ten reads, each charged in full.
 */

/**
 * One read of one stream: how many of its words were charged (committed by
 * mppx), whether a connection holds it, and the word it waits to be paid for
 * (the site sent every word before it and sends nothing until the voucher).
 */
type Read = { charged: number; active: boolean; awaitingPaymentFor?: number }

/** What a read looks like from outside: tests wait for these states instead of sleeping. */
export type ReadState = { key: string; charged: number; awaitingPaymentFor?: number }

/** Reads kept per channel and path; the oldest idle ones are dropped beyond this. */
export const maxIdleReads = 20

export type ReadBook = ReturnType<typeof createReadBook>

export function createReadBook() {
  const reads = new Map<string, Read[]>()

  return {
    /**
     * A connection begins: a fresh read (no `resumeFrom`), or the idle read that
     * left off at `resumeFrom` words (it charged `resumeFrom` or the one word after).
     */
    begin(key: string, resumeFrom: number | undefined) {
      const list = reads.get(key) ?? []
      reads.set(key, list)
      let read =
        resumeFrom === undefined ? undefined : list.find((r) => !r.active && (r.charged === resumeFrom || r.charged === resumeFrom + 1))
      read ??= { charged: resumeFrom ?? 0, active: false }
      if (!list.includes(read)) list.push(read)
      read.active = true
      return {
        /** Whether the word at `index` is still to be charged on this read. */
        mustCharge: (index: number) => index >= read.charged,
        /** Runs `charge` (mppx waiting for a voucher that covers the word at `index`) with the read marked as waiting. */
        async payFor(index: number, charge: () => Promise<void>) {
          read.awaitingPaymentFor = index
          try {
            await charge()
          } finally {
            read.awaitingPaymentFor = undefined
          }
        },
        /** mppx committed the charge for the word at `index` (the stream asked for the next word after it). */
        charged: (index: number) => void (read.charged = Math.max(read.charged, index + 1)),
        /** The connection ended: a finished read is forgotten, an interrupted one waits for its reader. */
        end(finished: boolean) {
          read.active = false
          if (finished) list.splice(list.indexOf(read), 1)
          const idle = list.filter((r) => !r.active)
          for (const stale of idle.slice(0, Math.max(0, idle.length - maxIdleReads))) list.splice(list.indexOf(stale), 1)
          if (list.length === 0) reads.delete(key)
        },
      }
    },
    /** Reads kept for `key` (tests). */
    size: (key: string) => reads.get(key)?.length ?? 0,
    /** The reads a connection holds now, across every channel and path. */
    open: (): ReadState[] =>
      [...reads].flatMap(([key, list]) =>
        list.filter((r) => r.active).map((r) => ({ key, charged: r.charged, ...(r.awaitingPaymentFor === undefined ? {} : { awaitingPaymentFor: r.awaitingPaymentFor }) })),
      ),
  }
}
