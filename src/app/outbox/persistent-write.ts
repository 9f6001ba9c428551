import type { Logger } from "pino";

/** Tries of a write that must not be lost to a busy pool (250 ms, 500 ms, … apart: about 7 s in all). */
const WRITE_TRIES = 7;
const WRITE_RETRY_MS = 250;

/**
 * Runs `write` again while the database refuses it (a pool busy past its wait, a moment's outage) and `still()` holds,
 * WRITE_TRIES times in all; `failed` is logged when it never went through. Never throws.
 */
export async function writePersistently(write: () => Promise<unknown>, options: { still: () => boolean; logger: Logger; failed: string; context: object }): Promise<void> {
  const { still, logger, failed, context } = options;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await write();
      return;
    } catch (error) {
      if (attempt >= WRITE_TRIES || !still()) {
        logger.error({ err: error, ...context, attempt }, failed);
        return;
      }
      logger.warn({ err: error, ...context, attempt }, `${failed}; trying again`);
      await new Promise((resolve) => setTimeout(resolve, WRITE_RETRY_MS * attempt));
    }
  }
}
