import { rm } from "node:fs/promises";
import type { Db } from "../../persistence/database.js";
import { EvidenceRefusedError, type StoredEvidenceFile } from "./evidence-file-store.js";
import type { EvidenceRefusal } from "../../domain/evidence/evidence-policy.js";

/** The prefix of evidence kept only as a Telegram file id (before the service kept its own copies). */
const TELEGRAM_REF = "telegram:";

export interface FetchTelegramEvidenceDeps {
  readonly db: Db;
  /** Fetches `telegram:<file_id>` into the evidence store (telegram-files.ts); throws EvidenceRefusedError when refused. */
  readonly fetch: (ref: string, fileName: string | undefined) => Promise<StoredEvidenceFile>;
  /** Told about each file that could not be fetched (never with the token: the fetcher's errors name the file id). */
  readonly onFailure?: (evidence: { readonly id: string; readonly ref: string }, error: unknown) => void;
}

/** What one run did; a second run over the same database finds nothing left to do. */
export interface FetchTelegramEvidenceSummary {
  /** Evidence rows still stored as `telegram:<file_id>` when the run began. */
  readonly found: number;
  readonly fetched: number;
  readonly bytes: number;
  /** Not kept, by reason (a type not accepted, over 20 MB): the row stays as it was, and the dossier lists it. */
  readonly refused: Readonly<Partial<Record<EvidenceRefusal, number>>>;
  /** Telegram could not give the file (an expired or unknown id, the network): tried again by the next run. */
  readonly failed: number;
}

/**
 * The one-off fetch of evidence stored before the service kept files itself: each `telegram:<file_id>` row is fetched
 * with getFile into the evidence directory and the row is pointed at the copy (ref, checksum, size, type). Idempotent:
 * the row changes only if it still holds the same Telegram ref (a run alongside another, or the service, changes
 * nothing twice; the loser's copy is removed), and rows already stored are never looked at. One file at a time: the
 * Bot API's own pace, and the memory of one stream.
 */
export async function fetchTelegramEvidence(deps: FetchTelegramEvidenceDeps): Promise<FetchTelegramEvidenceSummary> {
  const rows = await deps.db.evidence.findMany({ where: { ref: { startsWith: TELEGRAM_REF } }, orderBy: [{ addedAt: "asc" }, { id: "asc" }], select: { id: true, ref: true, fileName: true } });
  const refused: Partial<Record<EvidenceRefusal, number>> = {};
  let fetched = 0;
  let bytes = 0;
  let failed = 0;
  for (const row of rows) {
    let stored: StoredEvidenceFile;
    try {
      stored = await deps.fetch(row.ref, row.fileName ?? undefined);
    } catch (error) {
      if (error instanceof EvidenceRefusedError) refused[error.reason] = (refused[error.reason] ?? 0) + 1;
      else {
        failed += 1;
        deps.onFailure?.(row, error);
      }
      continue;
    }
    const { count } = await deps.db.evidence.updateMany({
      where: { id: row.id, ref: row.ref },
      data: { ref: stored.ref, fileName: row.fileName ?? stored.fileName, sha256: stored.sha256, sizeBytes: stored.sizeBytes, contentType: stored.contentType },
    });
    if (count === 0) {
      await rm(stored.path, { force: true });
      continue;
    }
    fetched += 1;
    bytes += stored.sizeBytes;
  }
  return { found: rows.length, fetched, bytes, refused, failed };
}
