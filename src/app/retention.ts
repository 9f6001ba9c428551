import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Db } from "../persistence/db-client.js";
import { deleteExpired, type RetentionPolicy } from "../persistence/retention-store.js";
import { runPeriodically } from "./periodic.js";

/** The clean-up runs at start and then once a day: rows expire by the day, so a finer rhythm would only cost reads. */
export const RETENTION_INTERVAL_MS = 24 * 60 * 60_000;

/** The policy from the validated configuration (RETENTION_* variables, README "Reliability"). */
export function retentionPolicy(config: Pick<Config, "RETENTION_PROCESSED_UPDATE_DAYS" | "RETENTION_OUTBOX_DAYS" | "RETENTION_STRANGER_DAYS">): RetentionPolicy {
  return {
    processedUpdateDays: config.RETENTION_PROCESSED_UPDATE_DAYS,
    outboxDays: config.RETENTION_OUTBOX_DAYS,
    strangerDays: config.RETENTION_STRANGER_DAYS,
  };
}

/**
 * Deletes what the retention policy lets go (see persistence/retention-store.ts for what is kept for ever), at start
 * and daily; logs the counts. `stop` waits for a run in flight.
 */
export function scheduleRetention(
  deps: { readonly db: Db; readonly policy: RetentionPolicy; readonly clock: () => Date; readonly logger: Pick<Logger, "info" | "error"> },
  intervalMs = RETENTION_INTERVAL_MS,
): { stop(): Promise<void> } {
  const run = async (): Promise<void> => {
    const counts = await deleteExpired(deps.db, deps.policy, deps.clock());
    if (counts.processedUpdates + counts.outboxRows + counts.strangers > 0) deps.logger.info(counts, "expired rows deleted (retention policy)");
  };
  return runPeriodically(run, intervalMs, { runNow: true, onError: (error) => deps.logger.error({ err: error }, "retention clean-up failed") });
}
