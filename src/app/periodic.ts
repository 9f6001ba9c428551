/**
 * Runs `task` every `intervalMs` (and at once when asked), never two runs at a time: a tick while one runs is
 * skipped. Failures go to `onError` and the loop goes on. `stop` waits for a run in flight.
 */
export function runPeriodically(task: () => Promise<void>, intervalMs: number, options: { runNow?: boolean; onError: (error: unknown) => void }): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = (): void => {
    if (running) return;
    running = task()
      .catch(options.onError)
      .finally(() => {
        running = null;
      });
  };
  if (options.runNow) tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      if (running) await running;
    },
  };
}
