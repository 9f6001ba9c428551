import { open, type FileHandle } from "node:fs/promises";

/**
 * Group commit for SQLite. A commit with `synchronous = FULL` flushes the write-ahead log to disk inside COMMIT, and
 * better-sqlite3 runs COMMIT on the event loop: about 0.4 ms of a blocked process per write on the build machine, one
 * write at a time. Instead the driver's connection commits with `synchronous = NORMAL` (the log is written, not yet
 * flushed) and then waits for this barrier, which flushes the log file on libuv's thread pool. Everything committed
 * before the flush began is on disk when it resolves, so a write still resolves only once it would survive a power
 * loss, as with FULL; writes that commit while a flush is running share the next one.
 */
export function groupSync(flush: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const start = (): Promise<void> => {
    const flushing = flush().finally(() => {
      if (running === flushing) running = undefined;
    });
    running = flushing;
    return flushing;
  };
  return () => {
    if (running === undefined) return start();
    // The running flush may have begun before the caller's commit wrote its pages: the caller needs the one after.
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return start();
      });
    return next;
  };
}

/**
 * Flushes a file's data to disk (fdatasync) through a handle kept open: one trip to the thread pool per flush. Meant
 * for SQLite's write-ahead log, which keeps its inode while any connection is open (it is reset in place, and removed
 * only when the last one closes); the driver holds its connection as long as this handle.
 */
export function fileFlusher(file: string): { flush(): Promise<void>; close(): Promise<void> } {
  let handle: Promise<FileHandle> | undefined;
  return {
    async flush() {
      if (handle === undefined) {
        const opening = open(file, "r");
        // A failed open is not kept: the next flush tries again.
        opening.catch(() => {
          if (handle === opening) handle = undefined;
        });
        handle = opening;
      }
      await (await handle).datasync();
    },
    async close() {
      const opened = handle;
      handle = undefined;
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  };
}
