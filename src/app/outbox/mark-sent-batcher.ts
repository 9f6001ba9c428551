/**
 * Rows sent in the same turn of the event loop are marked in one write (one commit, one round trip): `mark(id)`
 * resolves once the write holding `id` is done. A 20 ms window instead held each reminder batch back (389/s instead
 * of 475/s against 500/s configured) and did not help PostgreSQL measurably.
 */
export function markSentBatcher(write: (ids: string[]) => Promise<void>): ((id: string) => Promise<void>) & { flushed(): Promise<void> } {
  let toMark: string[] = [];
  let marking: Promise<void> | null = null;
  const mark = (id: string): Promise<void> => {
    toMark.push(id);
    marking ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const batch = toMark;
      toMark = [];
      marking = null;
      return write(batch);
    });
    return marking;
  };
  return Object.assign(mark, { flushed: async () => void (await marking?.catch(() => undefined)) });
}
