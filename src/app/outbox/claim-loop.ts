/** Claims quicker than this follow each other at once; a slower one leaves the event loop twice its time (up to the max). */
const CLAIM_PAUSE_FROM_MS = 5;
const CLAIM_PAUSE_MAX_MS = 500;

export interface ClaimLoop {
  /** Asks for a claim: now, or when the one running ends, or once the pause after a slow claim is over. */
  kick(): void;
  /** The claim running now, if any. */
  readonly running: Promise<void> | null;
  /** No more claims; resolves once the running one ended. */
  stop(): Promise<void>;
}

/**
 * Runs `claimOnce` when asked, one at a time, again at once while it fills whole batches. A claim reads the due rows of
 * the backlog: with thousands of chats waiting out a 429, claims asked for back to back (every freed place asks) would
 * take the event loop from the webhooks, so a slow claim leaves twice its time free before the next.
 */
export function createClaimLoop(claimOnce: () => Promise<number>, batch: number, onError: (error: unknown) => void): ClaimLoop {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let freeAt = 0;
  let deferred: NodeJS.Timeout | null = null;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    const early = freeAt - performance.now();
    if (early > 0) {
      deferred ??= setTimeout(() => {
        deferred = null;
        kick();
      }, early);
      return;
    }
    running = (async () => {
      do {
        again = false;
        const began = performance.now();
        if ((await claimOnce()) >= batch) again = true;
        const took = performance.now() - began;
        if (took >= CLAIM_PAUSE_FROM_MS) freeAt = performance.now() + Math.min(2 * took, CLAIM_PAUSE_MAX_MS);
        const wait = freeAt - performance.now();
        if (again && wait > 0 && !stopped) await pause(wait);
      } while (again && !stopped);
    })()
      .catch(onError)
      .finally(() => {
        running = null;
      });
  }

  return {
    kick,
    get running() {
      return running;
    },
    async stop() {
      stopped = true;
      if (deferred) clearTimeout(deferred);
      deferred = null;
      if (running) await running;
    },
  };
}
