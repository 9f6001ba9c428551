import { formatVietnamDate, vietnamDayStart, type PeriodFile } from "../domain/periods/period-file.js";
import type { Db } from "./database.js";
import { ensureShippedDefinitions } from "./definition-store.js";
import { cleanName, nameKey, type DbClient } from "./province-store.js";
import { DuplicateError, NotFoundError } from "./store-errors.js";

export interface DeadlineRecord {
  readonly id: string;
  readonly kind: string;
  readonly label: { readonly vi: string; readonly en: string };
  readonly dueAt: Date;
  readonly audience: string;
  readonly offsetsDays: readonly number[];
}

/**
 * A stored assessment period. Reference dates are Vietnam calendar days (`YYYY-MM-DD`, both inclusive); in the
 * database each is the instant that day starts in Vietnam.
 */
export interface PeriodRecord extends Omit<PeriodFile, "deadlines"> {
  readonly id: string;
  /** The terminal chat's demo period: only demo agencies answer into it, and reminders leave it alone. */
  readonly demo: boolean;
  readonly createdAt: Date;
  readonly deadlines: readonly DeadlineRecord[];
}

/**
 * Stores a validated period file with its deadlines, in one transaction. The definition must be stored (shipped
 * definitions are imported first). A second period of the same name for the same definition is refused: running
 * the command twice must not double every reminder.
 */
export async function addPeriod(db: Db, period: PeriodFile, options: { readonly demo?: boolean } = {}): Promise<PeriodRecord> {
  await ensureShippedDefinitions(db);
  const name = cleanName(period.name);
  return db.$transaction(async (tx) => {
    const definition = await tx.indexDefinitionRecord.findUnique({ where: { id: period.definition }, select: { id: true } });
    if (!definition) {
      const known = (await tx.indexDefinitionRecord.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((d) => d.id).join(", ");
      throw new NotFoundError(`definition: no stored definition "${period.definition}" (stored: ${known || "none"})`);
    }
    const sameDefinition = await tx.assessmentPeriod.findMany({ where: { definitionId: definition.id }, select: { id: true, name: true } });
    const duplicate = sameDefinition.find((p) => nameKey(p.name) === nameKey(name));
    if (duplicate) {
      throw new DuplicateError(`name: a period "${duplicate.name}" for ${definition.id} already exists (id ${duplicate.id})`);
    }
    const created = await tx.assessmentPeriod.create({
      data: {
        definitionId: definition.id,
        name,
        referenceFrom: vietnamDayStart(period.referenceFrom),
        referenceTo: vietnamDayStart(period.referenceTo),
        entryOpens: period.entryOpens,
        entryCloses: period.entryCloses,
        demo: options.demo === true,
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
      include: { deadlines: true },
    });
    return toRecord(created);
  });
}

/** Every period, the latest entry window first. */
export async function listPeriods(db: DbClient): Promise<PeriodRecord[]> {
  const rows = await db.assessmentPeriod.findMany({ include: { deadlines: true }, orderBy: [{ entryOpens: "desc" }, { id: "asc" }] });
  return rows.map(toRecord);
}

/** One period by id with its deadlines; null when there is none. */
export async function findPeriod(db: DbClient, id: string): Promise<PeriodRecord | null> {
  const row = await db.assessmentPeriod.findUnique({ where: { id }, include: { deadlines: true } });
  return row === null ? null : toRecord(row);
}

type PeriodRow = Awaited<ReturnType<Db["assessmentPeriod"]["findMany"]>>[number] & {
  deadlines: Awaited<ReturnType<Db["deadline"]["findMany"]>>;
};

function toRecord(row: PeriodRow): PeriodRecord {
  return {
    id: row.id,
    demo: row.demo,
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
