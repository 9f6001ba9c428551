import { formatVietnamDate, vietnamDayStart, type PeriodFile } from "../domain/periods/period-file.js";
import { overlapsWith, parseScopeList, scopeListText, type PeriodScope, type ScopedWindow } from "../domain/periods/period-scope.js";
import type { AgencyGroup } from "../domain/agencies/agency-kinds.js";
import type { Db, Store, Tx } from "./db-client.js";
import type { DatabaseKind } from "./sql/driver.js";
import { UnknownProvinceError, cleanName, nameKey, resolveProvince, type DbClient } from "./province-store.js";
import { DuplicateError, NotFoundError, StoreRefusal } from "./store-errors.js";

export interface DeadlineRecord {
  readonly id: string;
  readonly kind: string;
  readonly label: { readonly vi: string; readonly en: string };
  readonly dueAt: Date;
  readonly audience: string;
  readonly offsetsDays: readonly number[];
}

/** Which agencies a stored period is for; null lists mean every one. */
export interface PeriodScopeRecord {
  readonly provinces: readonly { readonly id: string; readonly name: string }[] | null;
  readonly groups: readonly AgencyGroup[] | null;
}

/**
 * A stored assessment period. Reference dates are Vietnam calendar days (`YYYY-MM-DD`, both inclusive); in the
 * database each is the instant that day starts in Vietnam.
 */
export interface PeriodRecord extends Omit<PeriodFile, "deadlines" | "scope"> {
  readonly id: string;
  /** The terminal chat's demo period: only demo agencies answer into it, and reminders leave it alone. */
  readonly demo: boolean;
  readonly scope: PeriodScopeRecord;
  /** When `admin period close` ended its entry (entryCloses was moved there); null while it was never closed. */
  readonly closedAt: Date | null;
  readonly createdAt: Date;
  readonly deadlines: readonly DeadlineRecord[];
}

/**
 * Adding or editing a period would leave an agency with two periods open at one moment: refused, with the periods it
 * meets, so the operator can change the dates or the scope, or close the other one.
 */
export class PeriodOverlapError extends StoreRefusal {
  override name = "PeriodOverlapError";
  constructor(
    readonly period: ScopedWindow,
    readonly others: readonly ScopedWindow[],
  ) {
    const list = others.map((o) => `"${o.name}" (${formatVietnamDate(o.entryOpens)} → ${formatVietnamDate(o.entryCloses)})`).join(", ");
    super(`entry window: "${period.name}" (${formatVietnamDate(period.entryOpens)} → ${formatVietnamDate(period.entryCloses)}) overlaps ${list} for the same agencies`);
  }
}

/** A second period of one name for one definition: running `period add` twice must not double every reminder. */
export class DuplicatePeriodNameError extends DuplicateError {
  override name = "DuplicatePeriodNameError";
  constructor(
    readonly existing: { readonly id: string; readonly name: string },
    readonly definitionId: string,
  ) {
    super(`name: a period "${existing.name}" for ${definitionId} already exists (id ${existing.id})`);
  }
}

/** A province in a period's scope that is none of the 34 units. */
export class UnknownScopeProvinceError extends NotFoundError {
  override name = "UnknownScopeProvinceError";
  constructor(
    readonly index: number,
    readonly unknown: UnknownProvinceError,
  ) {
    super(`scope.provinces[${index}]: ${unknown.message}`);
  }
}

/** The province ids a file's scope names, resolved (former names too); null for every province. */
async function resolveScopeProvinces(db: DbClient, names: readonly string[] | undefined): Promise<string[] | null> {
  if (names === undefined) return null;
  const ids: string[] = [];
  for (const [index, name] of names.entries()) {
    const resolved = await resolveProvince(db, name);
    if (resolved.kind === "unknown") throw new UnknownScopeProvinceError(index, new UnknownProvinceError(name, resolved.suggestion));
    ids.push(resolved.province.id);
  }
  return ids;
}

/** The overlap rules' view of every stored period. */
export async function scopedWindows(db: DbClient): Promise<ScopedWindow[]> {
  const rows = await db.assessmentPeriod.findMany({ select: { id: true, name: true, entryOpens: true, entryCloses: true, demo: true, scopeProvinces: true, scopeGroups: true } });
  return rows.map(scopedWindow);
}

export function scopedWindow(row: { id: string; name: string; entryOpens: Date; entryCloses: Date; demo: boolean; scopeProvinces: string | null; scopeGroups: string | null }): ScopedWindow {
  return { id: row.id, name: row.name, entryOpens: row.entryOpens, entryCloses: row.entryCloses, scope: periodScope(row) };
}

/** The agencies a period is for, from its stored columns: the one reading of a stored scope (windows, records, reminders). */
export function periodScope(row: { readonly demo: boolean; readonly scopeProvinces: string | null; readonly scopeGroups: string | null }): PeriodScope {
  return { provinces: parseScopeList(row.scopeProvinces), groups: parseScopeList(row.scopeGroups) as AgencyGroup[] | null, demo: row.demo };
}

/** The same scope from a record, whose provinces carry their names. */
export function recordScope(record: Pick<PeriodRecord, "demo" | "scope">): PeriodScope {
  return { provinces: record.scope.provinces && record.scope.provinces.map((p) => p.id), groups: record.scope.groups, demo: record.demo };
}

/** Any number: the advisory lock that makes period writes take turns on PostgreSQL ("pdxp"). */
const PERIOD_LOCK_KEY = 0x70647870;

/**
 * Makes writers of periods take turns, so two operators adding overlapping periods at the same moment cannot both
 * pass the overlap check: on PostgreSQL an advisory lock held to the end of the transaction; on SQLite a write that
 * changes nothing, first in the transaction, so it takes the write lock before reading (waiting its turn) instead of
 * failing with "database is locked" when it would upgrade a read lock later.
 */
export async function lockPeriodWrites(kind: DatabaseKind, tx: Tx): Promise<void> {
  if (kind === "postgres") await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${PERIOD_LOCK_KEY})`);
  else await tx.$executeRawUnsafe(`UPDATE "AssessmentPeriod" SET "name" = "name" WHERE 0 = 1`);
}

/** Refuses a period (new, or an edited one with its id) that overlaps another of the same agencies. */
export async function refuseOverlap(tx: Tx, period: ScopedWindow): Promise<void> {
  const others = overlapsWith(period, await scopedWindows(tx));
  if (others.length > 0) throw new PeriodOverlapError(period, others);
}

/** Refuses a second period of the same name for the same definition (`except` is the period being edited). */
export async function refuseDuplicateName(tx: Tx, definitionId: string, name: string, except?: string): Promise<void> {
  const sameDefinition = await tx.assessmentPeriod.findMany({ where: { definitionId }, select: { id: true, name: true } });
  const duplicate = sameDefinition.find((p) => p.id !== except && nameKey(p.name) === nameKey(name));
  if (duplicate) throw new DuplicatePeriodNameError(duplicate, definitionId);
}

/** The columns a period file sets (all but the definition and the deadlines), with its scope resolved. */
export async function periodColumns(db: DbClient, period: PeriodFile) {
  const provinces = await resolveScopeProvinces(db, period.scope?.provinces);
  return {
    name: cleanName(period.name),
    referenceFrom: vietnamDayStart(period.referenceFrom),
    referenceTo: vietnamDayStart(period.referenceTo),
    entryOpens: period.entryOpens,
    entryCloses: period.entryCloses,
    scopeProvinces: scopeListText(provinces),
    scopeGroups: scopeListText(period.scope?.groups ?? null),
  };
}

/**
 * Stores a validated period file with its deadlines, in one transaction. The definition must be stored (the seed
 * step stores the shipped ones). A second period of the same name for the same definition is refused: running
 * the command twice must not double every reminder. So is a period whose entry window overlaps another period of
 * the same agencies: an agency must never see two open periods (its answers would split between them).
 */
export async function addPeriod({ db, sql }: Store, period: PeriodFile, options: { readonly demo?: boolean } = {}): Promise<PeriodRecord> {
  const columns = await periodColumns(db, period);
  const demo = options.demo === true;
  const id = await db.$transaction(async (tx) => {
    await lockPeriodWrites(sql.kind, tx);
    const definition = await tx.indexDefinitionRecord.findUnique({ where: { id: period.definition }, select: { id: true } });
    if (!definition) throw new NotFoundError(`definition: no stored definition "${period.definition}" (stored: ${(await storedDefinitionIds(tx)) || "none"})`);
    await refuseDuplicateName(tx, definition.id, columns.name);
    await refuseOverlap(tx, scopedWindow({ id: "", demo, ...columns }));
    const created = await tx.assessmentPeriod.create({
      data: {
        definitionId: definition.id,
        ...columns,
        demo,
        deadlines: {
          create: period.deadlines.map((deadline) => ({
            kind: deadline.kind,
            labelVi: deadline.label.vi,
            labelEn: deadline.label.en,
            dueAt: deadline.dueAt,
            audience: deadline.audience,
            offsetsDays: JSON.stringify(deadline.offsetsDays),
          })),
        },
      },
      select: { id: true },
    });
    return created.id;
  });
  // Read back with the scope's province names.
  const stored = await findPeriod(db, id);
  if (stored === null) throw new Error(`period ${id} vanished right after it was added`);
  return stored;
}

/** The stored definitions' ids, for a message about an unknown one. */
export async function storedDefinitionIds(db: DbClient): Promise<string> {
  return (await db.indexDefinitionRecord.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((d) => d.id).join(", ");
}

/** Every period, the latest entry window first. */
export async function listPeriods(db: DbClient): Promise<PeriodRecord[]> {
  const rows = await db.assessmentPeriod.findMany({ include: PERIOD_INCLUDE, orderBy: [{ entryOpens: "desc" }, { id: "asc" }] });
  const names = await provinceNames(db, rows);
  return rows.map((row) => toRecord(row, names));
}

/** One period by id with its deadlines; null when there is none. */
export async function findPeriod(db: DbClient, id: string): Promise<PeriodRecord | null> {
  const row = await db.assessmentPeriod.findUnique({ where: { id }, include: PERIOD_INCLUDE });
  return row === null ? null : toRecord(row, await provinceNames(db, [row]));
}

const PERIOD_INCLUDE = { deadlines: true } as const;

type PeriodRow = Awaited<ReturnType<Db["assessmentPeriod"]["findMany"]>>[number] & {
  deadlines: Awaited<ReturnType<Db["deadline"]["findMany"]>>;
};

/** Names of the provinces the periods' scopes name, by id. */
async function provinceNames(db: DbClient, rows: readonly PeriodRow[]): Promise<ReadonlyMap<string, string>> {
  const ids = [...new Set(rows.flatMap((r) => parseScopeList(r.scopeProvinces) ?? []))];
  if (ids.length === 0) return new Map();
  const provinces = await db.province.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(provinces.map((p) => [p.id, p.name]));
}

/** A row as a record; a scope province deleted by hand since is shown by its id. */
function toRecord(row: PeriodRow, names: ReadonlyMap<string, string> = new Map()): PeriodRecord {
  const { provinces, groups } = periodScope(row);
  return {
    id: row.id,
    demo: row.demo,
    scope: { provinces: provinces && provinces.map((id) => ({ id, name: names.get(id) ?? id })), groups },
    closedAt: row.closedAt,
    definition: row.definitionId,
    name: row.name,
    referenceFrom: formatVietnamDate(row.referenceFrom),
    referenceTo: formatVietnamDate(row.referenceTo),
    entryOpens: row.entryOpens,
    entryCloses: row.entryCloses,
    createdAt: row.createdAt,
    deadlines: [...row.deadlines]
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id.localeCompare(b.id))
      .map((d) => ({
        id: d.id,
        kind: d.kind,
        label: { vi: d.labelVi, en: d.labelEn },
        dueAt: d.dueAt,
        audience: d.audience,
        offsetsDays: parseOffsets(d.offsetsDays),
      })),
  };
}

function parseOffsets(text: string): number[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((n) => Number.isInteger(n))) throw new Error(`stored offsetsDays is not a list of days: ${text}`);
  return value as number[];
}
