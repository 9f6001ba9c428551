import { definitionChecksum, loadDefinitionFile, shippedDefinitionFiles } from "../definitions/definition-files.js";
import { listCriteria } from "../domain/questionnaire/definition-index.js";
import type { IndexDefinition, LocalizedText } from "../domain/questionnaire/definition-schema.js";
import { formatProblem, validateDefinition } from "../domain/questionnaire/validate-definition.js";
import type { Db } from "./db-client.js";
import { DefinitionConflictError, StoreRefusal, isUniqueViolation } from "./store-errors.js";
import { deepFreeze } from "../domain/deep-freeze.js";

/**
 * Index definitions are immutable once stored: an assessment keeps pointing at the exact questionnaire it was
 * scored against, so a file with a known id and other content is refused (DefinitionConflictError), never merged.
 * The checksum (definitionChecksum) is taken over the validated definition, so reformatting a file is not a change.
 */

export type DefinitionImportStatus = "imported" | "unchanged";

export interface DefinitionImportResult {
  readonly status: DefinitionImportStatus;
  readonly id: string;
  readonly checksum: string;
}

/** What `definitions list` shows about a stored definition. */
export interface StoredDefinitionSummary {
  readonly id: string;
  readonly title: LocalizedText;
  readonly official: boolean;
  readonly criteria: number;
  readonly maxScore: number;
  readonly checksum: string;
  readonly importedAt: Date;
}

/** What ensureShippedDefinitions did: ids stored now, and shipped files whose id is taken by other content. */
export interface ShippedDefinitionsReport {
  readonly imported: readonly string[];
  readonly conflicting: readonly string[];
}

/** Parsed definitions by `id@checksum`: the content under a checksum never changes, so entries never go stale. */
const parsedCache = new Map<string, IndexDefinition>();
let shippedCache: readonly { definition: IndexDefinition; checksum: string }[] | undefined;

/**
 * Stores a validated definition. Importing the same content again is `unchanged`; other content under a stored id
 * throws DefinitionConflictError. Safe against a concurrent import of the same id (the unique key decides).
 */
export async function importDefinition(db: Db, definition: IndexDefinition): Promise<DefinitionImportResult> {
  // Re-validating puts the fields in the schema's order, so the checksum does not depend on how the caller built it.
  const validation = validateDefinition(definition);
  if (!validation.ok) throw new StoreRefusal(validation.problems.map(formatProblem).join("\n"));
  const canonical = validation.definition;
  const id = canonical.id;
  const checksum = definitionChecksum(canonical);
  const outcome = (stored: string): DefinitionImportResult => {
    if (stored !== checksum) throw new DefinitionConflictError(id);
    return { status: "unchanged", id, checksum };
  };

  const existing = await db.indexDefinitionRecord.findUnique({ where: { id }, select: { checksum: true } });
  if (existing) return outcome(existing.checksum);
  try {
    await db.indexDefinitionRecord.create({
      data: { id, title: canonical.title.vi, official: canonical.source.official, content: JSON.stringify(canonical), checksum },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await db.indexDefinitionRecord.findUniqueOrThrow({ where: { id }, select: { checksum: true } });
    return outcome(winner.checksum);
  }
  return { status: "imported", id, checksum };
}

/**
 * Imports every file of the shipped definitions folder whose id is not stored yet. Idempotent and cheap: one
 * query, and the files are read once per process. A shipped file that differs from the stored definition of its id
 * is left alone (the stored one is what existing assessments were scored against) and reported as conflicting.
 */
export async function ensureShippedDefinitions(db: Db): Promise<ShippedDefinitionsReport> {
  shippedCache ??= shippedDefinitionFiles().map((file) => {
    const definition = loadDefinitionFile(file);
    return { definition, checksum: definitionChecksum(definition) };
  });
  const rows = await db.indexDefinitionRecord.findMany({ select: { id: true, checksum: true, content: true } });
  const stored = new Map(rows.map((row) => [row.id, row]));
  const imported: string[] = [];
  const conflicting: string[] = [];
  for (const { definition, checksum } of shippedCache) {
    const storedRow = stored.get(definition.id);
    const storedChecksum = storedRow?.checksum;
    if (storedChecksum === checksum) {
      // Same index, new reading aids (option keywords): refresh the stored copy so replies are read with them.
      const content = JSON.stringify(definition);
      if (storedRow !== undefined && storedRow.content !== content) await db.indexDefinitionRecord.update({ where: { id: definition.id }, data: { content } });
      continue;
    }
    if (storedChecksum !== undefined) {
      conflicting.push(definition.id);
      continue;
    }
    try {
      const result = await importDefinition(db, definition);
      if (result.status === "imported") imported.push(definition.id);
    } catch (error) {
      if (!(error instanceof DefinitionConflictError)) throw error;
      conflicting.push(definition.id);
    }
  }
  return { imported, conflicting };
}

/**
 * The stored definition with this id, or null. The result is shared and frozen: definitions are immutable.
 * This does not import shipped definitions; the seed step (seed.ts) does, once at start-up.
 */
export async function getDefinition(db: Db, id: string): Promise<IndexDefinition | null> {
  const row = await db.indexDefinitionRecord.findUnique({ where: { id }, select: { checksum: true } });
  if (!row) return null;
  return parsedDefinition(db, id, row.checksum);
}

/** Every stored definition, oldest import first. */
export async function listDefinitions(db: Db): Promise<StoredDefinitionSummary[]> {
  const rows = await db.indexDefinitionRecord.findMany({
    select: { id: true, official: true, checksum: true, importedAt: true },
    orderBy: [{ importedAt: "asc" }, { id: "asc" }],
  });
  const summaries: StoredDefinitionSummary[] = [];
  for (const row of rows) {
    const definition = await parsedDefinition(db, row.id, row.checksum);
    summaries.push({
      id: row.id,
      title: definition.title,
      official: row.official,
      criteria: listCriteria(definition).length,
      maxScore: definition.maxScore,
      checksum: row.checksum,
      importedAt: row.importedAt,
    });
  }
  return summaries;
}

/**
 * The stored definition `id` whose checksum the caller already read (joined into its own query): parsed once per
 * process, then served from memory.
 */
export async function parsedDefinition(db: Db, id: string, checksum: string): Promise<IndexDefinition> {
  const key = `${id}@${checksum}`;
  const cached = parsedCache.get(key);
  if (cached) return cached;
  const { content } = await db.indexDefinitionRecord.findUniqueOrThrow({ where: { id }, select: { content: true } });
  const validation = validateDefinition(JSON.parse(content));
  if (!validation.ok) {
    // Only validated definitions are ever stored, so this is damage to the database, not an operator mistake.
    throw new Error(`stored definition ${id} is no longer valid: ${validation.problems.map(formatProblem).join("; ")}`);
  }
  if (definitionChecksum(validation.definition) !== checksum) throw new Error(`stored definition ${id} does not match its checksum`);
  const definition = deepFreeze(validation.definition);
  parsedCache.set(key, definition);
  return definition;
}
