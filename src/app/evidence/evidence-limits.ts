import { rm } from "node:fs/promises";
import path from "node:path";
import type { Input } from "../../domain/conversation/input.js";
import { limitRefusal, type EvidenceRefusal, type EvidenceUsage } from "../../domain/evidence/evidence-policy.js";
import type { Db, Tx } from "../../persistence/db-client.js";
import { refusedInput } from "./evidence-file-store.js";

/** Files on one criterion and bytes kept for the whole assessment, for the limits. */
export async function evidenceUsage(db: Db | Tx, assessmentId: string, criterionId: string): Promise<EvidenceUsage> {
  const [filesOnCriterion, bytes] = await Promise.all([
    db.evidence.count({ where: { assessmentId, criterionId, kind: { not: "link" } } }),
    db.evidence.aggregate({ where: { assessmentId }, _sum: { sizeBytes: true } }),
  ]);
  return { filesOnCriterion, bytesOnAgency: bytes._sum.sizeBytes ?? 0 };
}

/** Where a step wants to keep an attachment. */
export interface EvidenceTarget {
  readonly assessmentId: string;
  readonly criterionId: string;
}

/**
 * Fetches an attachment only when it fits the limits, and keeps it only when it still fits once its size is known:
 * a criterion or an agency over its limit never fills the disk. A file fetched but over the limit is removed again.
 */
export async function resolveWithinLimits(
  deps: { readonly db: Db; readonly dataDir: string },
  target: EvidenceTarget,
  input: Input,
  resolve: () => Promise<Input>,
): Promise<Input> {
  if (input.kind !== "attachment") return resolve();
  const usage = await evidenceUsage(deps.db, target.assessmentId, target.criterionId);
  const before = limitRefusal(usage, 0);
  if (before !== null) return refusedInput(input.attachment, before);
  const resolved = await resolve();
  if (resolved.kind !== "attachment" || resolved.attachment.file === undefined) return resolved;
  const after: EvidenceRefusal | null = limitRefusal(usage, resolved.attachment.file.sizeBytes);
  if (after === null) return resolved;
  await removeStored(deps.dataDir, resolved.attachment.ref);
  return refusedInput(input.attachment, after);
}

/** Deletes a `file:` ref's file under the data directory (never outside it). */
export async function removeStored(dataDir: string, ref: string): Promise<void> {
  if (!ref.startsWith("file:")) return;
  const root = path.resolve(dataDir);
  const file = path.resolve(root, ref.slice("file:".length));
  if (!file.startsWith(root + path.sep)) return;
  await rm(file, { force: true });
}
