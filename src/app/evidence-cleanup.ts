import { readdir, stat, unlink } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import type { Db } from "../persistence/db-client.js";
import { runPeriodically } from "./periodic.js";

/**
 * A downloaded evidence file is referenced by its row once the message commits. One whose message failed (the
 * database was down, the download finished after the update was refused) is referenced by nothing and would stay
 * for ever. Files older than the grace period that no evidence row names are removed; the grace period covers a
 * download whose transaction is still running or will be retried.
 */
export const EVIDENCE_GRACE_MS = 24 * 60 * 60_000;
export const EVIDENCE_CLEANUP_INTERVAL_MS = 60 * 60_000;

/** Removes the unreferenced files of `dir` older than the grace period; resolves with the names removed. */
export async function removeUnreferencedEvidence(db: Db, dir: string, now: Date, graceMs = EVIDENCE_GRACE_MS): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return []; // No evidence downloaded yet.
  }
  const rows = await db.evidence.findMany({ where: { ref: { startsWith: "file:" } }, select: { ref: true } });
  // Stored names are random, so the base name alone identifies a file whether the ref is relative or absolute.
  const referenced = new Set(rows.map((row) => path.basename(row.ref)));
  const removed: string[] = [];
  for (const name of names) {
    if (referenced.has(name)) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info === null || !info.isFile() || now.getTime() - info.mtimeMs < graceMs) continue;
    await unlink(file).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}

/** Runs the clean-up at start and then every interval, beside the reminder loop; `stop` waits for a run in flight. */
export function scheduleEvidenceCleanup(deps: { db: Db; dir: string; clock: () => Date; logger: Logger }, intervalMs = EVIDENCE_CLEANUP_INTERVAL_MS): { stop(): Promise<void> } {
  const run = async (): Promise<void> => {
    const removed = await removeUnreferencedEvidence(deps.db, deps.dir, deps.clock());
    if (removed.length > 0) deps.logger.info({ removed: removed.length }, "unreferenced evidence files removed");
  };
  return runPeriodically(run, intervalMs, { runNow: true, onError: (error) => deps.logger.error({ err: error }, "evidence clean-up failed") });
}
