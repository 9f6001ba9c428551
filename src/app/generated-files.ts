import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Files the service generates for one recipient (score cards, reports) live under `<data dir>/<kind>/` with a random
 * name until the outbox has sent them. The outbox retries for well under a day; after GENERATED_FILE_KEEP_MS they are
 * deleted, since reports hold personal data (names, answers).
 */
export const GENERATED_FILE_KEEP_MS = 3 * 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;
const lastSweep = new Map<string, number>();

export type GeneratedKind = "cards" | "exports";

/** Writes `bytes` as `<dataDir>/<kind>/<random>.<extension>` and returns the absolute path. */
export async function saveGeneratedFile(dataDir: string, kind: GeneratedKind, extension: string, bytes: Buffer, now: Date = new Date()): Promise<string> {
  const file = await generatedFilePath(dataDir, kind, extension, now);
  await writeFile(file, bytes, { flag: "wx" });
  return file;
}

/** A new `<dataDir>/<kind>/<random>.<extension>` path (its directory made) for a file written as a stream. */
export async function generatedFilePath(dataDir: string, kind: GeneratedKind, extension: string, now: Date = new Date()): Promise<string> {
  const dir = path.resolve(dataDir, kind);
  await mkdir(dir, { recursive: true });
  if (now.getTime() - (lastSweep.get(dir) ?? 0) > SWEEP_EVERY_MS) await sweepGeneratedFiles(dir, now).catch(() => 0);
  return path.join(dir, `${randomBytes(16).toString("hex")}.${extension}`);
}

/** Deletes files of `dir` older than GENERATED_FILE_KEEP_MS; returns how many. */
export async function sweepGeneratedFiles(dir: string, now: Date): Promise<number> {
  lastSweep.set(dir, now.getTime());
  let removed = 0;
  for (const name of await readdir(dir)) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info?.isFile() && now.getTime() - info.mtimeMs > GENERATED_FILE_KEEP_MS) {
      await rm(file, { force: true });
      removed += 1;
    }
  }
  return removed;
}

/** The data directory of a database: beside the SQLite file, or ./data (PostgreSQL, in-memory SQLite). */
export function dataDirFor(target: { readonly kind: "sqlite"; readonly file: string } | { readonly kind: "postgres" }): string {
  return target.kind === "sqlite" && target.file !== ":memory:" ? path.dirname(target.file) : path.resolve("data");
}
