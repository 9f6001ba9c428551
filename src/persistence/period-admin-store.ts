import type { PeriodFile } from "../domain/periods/period-file.js";
import type { FileProblem } from "../domain/questionnaire/json-path.js";
import { findOverlaps, type PeriodOverlap } from "../domain/periods/period-scope.js";
import type { Db, Store } from "./db-client.js";
import { findPeriod, lockPeriodWrites, periodColumns, refuseDuplicateName, refuseOverlap, scopedWindow, scopedWindows, storedDefinitionIds, type PeriodRecord } from "./period-store.js";
import { UnknownProvinceError, resolveProvince, type DbClient } from "./province-store.js";
import { NotFoundError, StoreRefusal } from "./store-errors.js";

/*
 * What an operator does to a stored period after adding it: change it, end its entry early, delete it while it is
 * still empty, and find the overlaps an older version let in. Every change keeps the rule that an agency never has
 * two periods open at one moment.
 */

/** What was answered into a period: a period with any of it is closed, never removed. */
export interface PeriodContents {
  readonly assessments: number;
  readonly answers: number;
  readonly evidence: number;
  readonly changes: number;
}

/** `remove` of a period that holds answers: nothing is deleted; `close` keeps everything instead. */
export class PeriodNotEmptyError extends StoreRefusal {
  override name = "PeriodNotEmptyError";
  constructor(
    readonly period: PeriodRecord,
    readonly contents: PeriodContents,
  ) {
    super(`period "${period.name}" holds ${contents.answers} answer(s) and ${contents.evidence} evidence file(s); nothing removed: close it instead (admin period close ${period.id})`);
  }
}

/** `close` of a period already closed: the first close stays, so the record of when entry ended does not move. */
export class PeriodAlreadyClosedError extends StoreRefusal {
  override name = "PeriodAlreadyClosedError";
  constructor(readonly period: PeriodRecord) {
    super(`period "${period.name}" is already closed`);
  }
}

/** No period has the id an operator gave. */
export class PeriodNotFoundError extends NotFoundError {
  override name = "PeriodNotFoundError";
  constructor(readonly id: string) {
    super(`no period with id "${id}" (see: admin period list)`);
  }
}

async function requirePeriod(db: DbClient, id: string): Promise<PeriodRecord> {
  const period = await findPeriod(db, id);
  if (period === null) throw new PeriodNotFoundError(id);
  return period;
}

/** Counts what people put into a period. */
export async function periodContents(db: DbClient, periodId: string): Promise<PeriodContents> {
  const inPeriod = { assessment: { periodId } };
  const [assessments, answers, evidence, changes] = await Promise.all([
    db.assessment.count({ where: { periodId } }),
    db.answer.count({ where: inPeriod }),
    db.evidence.count({ where: inPeriod }),
    db.answerChange.count({ where: inPeriod }),
  ]);
  return { assessments, answers, evidence, changes };
}

/**
 * Replaces a period's name, reference dates, entry window and scope with the edited file's (the definition and the
 * deadlines stay: the CLI builds the file from the stored period). The overlap and duplicate-name rules apply as
 * for a new period, the period itself left out.
 */
export async function editPeriod({ db, sql }: Store, id: string, edited: PeriodFile): Promise<PeriodRecord> {
  const columns = await periodColumns(db, edited);
  await db.$transaction(async (tx) => {
    await lockPeriodWrites(sql.kind, tx);
    const current = await requirePeriod(tx, id);
    await refuseDuplicateName(tx, current.definition, columns.name, id);
    await refuseOverlap(tx, scopedWindow({ id, demo: current.demo, ...columns }));
    // An edit that reopens entry undoes an earlier close.
    const closedAt = current.closedAt !== null && columns.entryCloses > current.closedAt ? null : current.closedAt;
    await tx.assessmentPeriod.update({ where: { id }, data: { ...columns, closedAt } });
  });
  return requirePeriod(db, id);
}

/**
 * Ends a period's entry at `now`, keeping every answer, assessment and deadline: the chat shows it read-only, and
 * reminders leave it alone. A period whose entry already ended keeps its entryCloses and is only marked.
 */
export async function closePeriod(db: Db, id: string, now: Date): Promise<PeriodRecord> {
  await db.$transaction(async (tx) => {
    const current = await requirePeriod(tx, id);
    if (current.closedAt !== null) throw new PeriodAlreadyClosedError(current);
    // A period closed before it opened keeps a window of no length rather than one that ends before it starts.
    const end = current.entryCloses > now ? now : current.entryCloses;
    const entryCloses = end < current.entryOpens ? current.entryOpens : end;
    await tx.assessmentPeriod.update({ where: { id }, data: { entryCloses, closedAt: now } });
  });
  return requirePeriod(db, id);
}

/** Deletes a period nobody answered into, with its deadlines and empty assessments; refused otherwise. */
export async function removePeriod(db: Db, id: string): Promise<PeriodRecord> {
  return db.$transaction(async (tx) => {
    const current = await requirePeriod(tx, id);
    const contents = await periodContents(tx, id);
    if (contents.answers > 0 || contents.evidence > 0 || contents.changes > 0) throw new PeriodNotEmptyError(current, contents);
    await tx.assessment.deleteMany({ where: { periodId: id } });
    await tx.deadline.deleteMany({ where: { periodId: id } });
    await tx.assessmentPeriod.delete({ where: { id } });
    return current;
  });
}

/** Every pair of stored periods that an agency could see open at the same moment (the demo's apart). */
export async function periodOverlaps(db: DbClient): Promise<PeriodOverlap[]> {
  return findOverlaps(await scopedWindows(db));
}

/**
 * What a period file names that the database must hold (its definition, its scope's provinces), checked on the raw
 * JSON even when other fields are wrong, so the operator gets every problem in one round.
 */
export async function periodReferenceProblems(db: Db, raw: unknown): Promise<FileProblem[]> {
  if (typeof raw !== "object" || raw === null) return [];
  const file = raw as Record<string, unknown>;
  const problems: FileProblem[] = [];
  if (typeof file.definition === "string" && file.definition.trim() !== "") {
    const found = await db.indexDefinitionRecord.findUnique({ where: { id: file.definition }, select: { id: true } });
    if (!found) problems.push({ path: "definition", reason: `no stored definition "${file.definition}" (stored: ${(await storedDefinitionIds(db)) || "none"})` });
  }
  const scope = file.scope;
  const provinces = typeof scope === "object" && scope !== null ? (scope as Record<string, unknown>).provinces : undefined;
  if (Array.isArray(provinces)) {
    for (const [index, name] of provinces.entries()) {
      if (typeof name !== "string" || name.trim() === "") continue;
      const resolved = await resolveProvince(db, name);
      if (resolved.kind === "unknown") problems.push({ path: `scope.provinces[${index}]`, reason: new UnknownProvinceError(name, resolved.suggestion).message });
    }
  }
  return problems;
}
