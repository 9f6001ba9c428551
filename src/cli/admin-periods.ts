import { formatPeriodProblem, formatVietnamDateTime, validatePeriodFile } from "../domain/periods/period-file.js";
import type { ScopedWindow } from "../domain/periods/period-scope.js";
import type { Db, Store } from "../persistence/db-client.js";
import {
  PeriodAlreadyClosedError,
  PeriodNotEmptyError,
  PeriodNotFoundError,
  closePeriod,
  editPeriod,
  periodContents,
  periodOverlaps,
  periodReferenceProblems,
  removePeriod,
} from "../persistence/period-admin-store.js";
import { DuplicatePeriodNameError, PeriodOverlapError, addPeriod, findPeriod, listPeriods, type PeriodRecord } from "../persistence/period-store.js";
import { readJsonFile } from "../shared/read-json-file.js";
import type { Command, CommandContext } from "./command-table.js";
import { OperatorError, type Tr } from "./operator-text.js";
import { withDatabase } from "./with-database.js";

/** `admin period add | list | show | edit | close | remove | check`: periods that never overlap for an agency. */

const vn = formatVietnamDateTime;
const stringFlag = { type: "string" } as const;

export const periodJson = (p: PeriodRecord) => ({
  id: p.id,
  demo: p.demo,
  definition: p.definition,
  name: p.name,
  scope: { provinces: p.scope.provinces && p.scope.provinces.map((x) => x.name), groups: p.scope.groups },
  referenceFrom: p.referenceFrom,
  referenceTo: p.referenceTo,
  entryOpens: vn(p.entryOpens),
  entryCloses: vn(p.entryCloses),
  closedAt: p.closedAt && vn(p.closedAt),
  deadlines: p.deadlines.map((d) => ({ id: d.id, kind: d.kind, label: d.label, dueAt: vn(d.dueAt), audience: d.audience, offsetsDays: d.offsetsDays })),
  createdAt: vn(p.createdAt),
});

function scopeText(p: Pick<PeriodRecord, "scope">, t: Tr): string {
  const parts = [
    ...(p.scope.provinces === null ? [] : [t("operator.admin.period.scopeProvinces", { list: p.scope.provinces.map((x) => x.name).join(", ") })]),
    ...(p.scope.groups === null ? [] : [t("operator.admin.period.scopeGroups", { list: p.scope.groups.join(", ") })]),
  ];
  return parts.length === 0 ? t("operator.admin.period.scopeAll") : parts.join("; ");
}

export function periodLine(p: PeriodRecord, t: Tr): string {
  const state = p.demo ? `  ${t("operator.common.demoMark")}` : p.closedAt ? `  ${t("operator.admin.period.closedMark", { closedTime: p.closedAt })}` : "";
  return t("operator.admin.period.line", { id: p.id, name: p.name, definition: p.definition, opensTime: p.entryOpens, closesTime: p.entryCloses, scope: scopeText(p, t), deadlines: p.deadlines.length }) + state;
}

const windowText = (w: ScopedWindow, t: Tr) => t("operator.admin.period.window", { name: w.name, opensTime: w.entryOpens, closesTime: w.entryCloses });

/** A period store's refusal as the operator's sentence. */
function translated(error: unknown, file?: string): never {
  const prefix = file === undefined ? "" : `${file}: `;
  if (error instanceof PeriodOverlapError) {
    throw new OperatorError("operator.admin.period.overlap", { prefix, ...overlapVars(error) });
  }
  if (error instanceof PeriodNotFoundError) throw new OperatorError("operator.admin.period.notFound", { id: error.id });
  if (error instanceof PeriodNotEmptyError) throw new OperatorError("operator.admin.period.notEmpty", { name: error.period.name, id: error.period.id, answers: error.contents.answers, evidence: error.contents.evidence });
  if (error instanceof PeriodAlreadyClosedError) throw new OperatorError("operator.admin.period.alreadyClosed", { name: error.period.name, closedTime: error.period.closedAt ?? new Date(0) });
  if (error instanceof DuplicatePeriodNameError) throw new OperatorError("operator.admin.period.duplicateName", { prefix, name: error.existing.name, id: error.existing.id, definition: error.definitionId });
  throw error;
}

function overlapVars(error: PeriodOverlapError): Record<string, string | Date> {
  const first = error.others[0];
  return {
    name: error.period.name,
    opensTime: error.period.entryOpens,
    closesTime: error.period.entryCloses,
    others: error.others.map((o) => `"${o.name}"`).join(", "),
    otherName: first?.name ?? "",
    otherOpensTime: first?.entryOpens ?? new Date(0),
    otherClosesTime: first?.entryCloses ?? new Date(0),
    otherId: first?.id ?? "",
  };
}

/** withDatabase, with the period stores' refusals translated before it would turn them into English lines. */
function guarded<T>(body: (db: Db, store: Store) => Promise<T>, file?: string): Promise<T> {
  return withDatabase(async (db, store) => {
    try {
      return await body(db, store);
    } catch (error) {
      return translated(error, file);
    }
  });
}

function oneId(context: CommandContext, usageKey: string): string {
  const [id, ...rest] = context.args;
  if (id === undefined || id.trim() === "" || rest.length > 0) throw new OperatorError("operator.common.usageError", { usage: context.t(usageKey) });
  return id;
}

function noArgs(context: CommandContext, usageKey: string): void {
  if (context.args.length > 0) throw new OperatorError("operator.common.unexpected", { words: context.args.join(" "), usage: context.t(usageKey) });
}

/** Every problem of a period file in one round: its shape and dates, and what it names in the database. */
async function checkedPeriodFile(db: Db, file: string, raw: unknown) {
  const validation = validatePeriodFile(raw);
  const references = await periodReferenceProblems(db, raw);
  const problems = [...(validation.ok ? [] : validation.problems), ...references];
  if (problems.length > 0 || !validation.ok) throw new OperatorError("operator.common.lines", { text: problems.map((p) => `${file}: ${formatPeriodProblem(p)}`).join("\n") });
  return validation.period;
}

/** The file form of a stored period, for `edit`: the stored values with the flags' changes on top. */
function editedFile(p: PeriodRecord, values: CommandContext["values"]): Record<string, unknown> {
  const list = (flag: string, current: readonly string[] | null): readonly string[] | undefined => {
    const given = values[flag];
    if (typeof given !== "string") return current ?? undefined;
    const items = given.split(",").map((s) => s.trim()).filter((s) => s !== "");
    return items.length === 1 && items[0]?.toLowerCase() === "all" ? undefined : items;
  };
  const text = (flag: string, current: string): string => (typeof values[flag] === "string" ? values[flag] : current);
  const provinces = list("provinces", p.scope.provinces && p.scope.provinces.map((x) => x.name));
  const groups = list("groups", p.scope.groups);
  const scope = { ...(provinces === undefined ? {} : { provinces }), ...(groups === undefined ? {} : { groups }) };
  return {
    definition: p.definition,
    name: text("name", p.name),
    ...(Object.keys(scope).length === 0 ? {} : { scope }),
    referenceFrom: text("reference-from", p.referenceFrom),
    referenceTo: text("reference-to", p.referenceTo),
    entryOpens: text("entry-opens", vn(p.entryOpens)),
    entryCloses: text("entry-closes", vn(p.entryCloses)),
    deadlines: p.deadlines.map((d) => ({ kind: d.kind, label: d.label, dueAt: vn(d.dueAt), audience: d.audience, offsetsDays: d.offsetsDays })),
  };
}

export const PERIOD_COMMANDS: readonly Command[] = [
  {
    words: "period add",
    options: {},
    async run(context) {
      const file = oneId(context, "operator.admin.period.add.usage");
      const raw = readJsonFile(file);
      const period = await guarded(async (db, store) => addPeriod(store, await checkedPeriodFile(db, file, raw)), file);
      context.emit(periodJson(period), [context.t("operator.admin.period.added", { line: periodLine(period, context.t) })]);
    },
  },
  {
    words: "period list",
    options: {},
    async run(context) {
      noArgs(context, "operator.admin.period.list.usage");
      const periods = await withDatabase(listPeriods);
      context.emit(periods.map(periodJson), periods.length === 0 ? [context.t("operator.admin.period.none")] : periods.map((p) => periodLine(p, context.t)));
    },
  },
  {
    words: "period show",
    options: {},
    async run(context) {
      const id = oneId(context, "operator.admin.period.show.usage");
      const { t } = context;
      const { period, contents, overlaps } = await guarded(async (db) => {
        const found = await findPeriod(db, id);
        if (found === null) throw new PeriodNotFoundError(id);
        const pairs = (await periodOverlaps(db)).filter((o) => o.first.id === id || o.second.id === id);
        return { period: found, contents: await periodContents(db, id), overlaps: pairs.map((o) => (o.first.id === id ? o.second : o.first)) };
      });
      context.emit({ ...periodJson(period), contents, overlaps: overlaps.map((o) => ({ id: o.id, name: o.name })) }, [
        periodLine(period, t),
        t("operator.admin.period.reference", { from: period.referenceFrom, to: period.referenceTo }),
        t("operator.admin.period.contents", { assessments: contents.assessments, answers: contents.answers, evidence: contents.evidence }),
        ...period.deadlines.map((d) => t("operator.admin.period.deadline", { label: d.label[context.locale] || d.label.vi, dueTime: d.dueAt, audience: d.audience, offsets: d.offsetsDays.join(", ") })),
        ...overlaps.map((o) => t("operator.admin.period.overlapsWith", { window: windowText(o, t), id: o.id })),
      ]);
    },
  },
  {
    words: "period edit",
    options: { name: stringFlag, "entry-opens": stringFlag, "entry-closes": stringFlag, "reference-from": stringFlag, "reference-to": stringFlag, provinces: stringFlag, groups: stringFlag },
    async run(context) {
      const id = oneId(context, "operator.admin.period.edit.usage");
      const changed = Object.keys(this.options).filter((flag) => context.values[flag] !== undefined);
      if (changed.length === 0) throw new OperatorError("operator.admin.period.editNothing");
      const period = await guarded(async (db, store) => {
        const current = await findPeriod(db, id);
        if (current === null) throw new PeriodNotFoundError(id);
        return editPeriod(store, id, await checkedPeriodFile(db, `period ${id}`, editedFile(current, context.values)));
      });
      context.emit(periodJson(period), [context.t("operator.admin.period.edited", { line: periodLine(period, context.t) })]);
    },
  },
  {
    words: "period close",
    options: {},
    async run(context) {
      const id = oneId(context, "operator.admin.period.close.usage");
      const period = await guarded((db) => closePeriod(db, id, new Date()));
      context.emit(periodJson(period), [context.t("operator.admin.period.closed", { line: periodLine(period, context.t) })]);
    },
  },
  {
    words: "period remove",
    options: {},
    async run(context) {
      const id = oneId(context, "operator.admin.period.remove.usage");
      const period = await guarded((db) => removePeriod(db, id));
      context.emit({ removed: periodJson(period) }, [context.t("operator.admin.period.removed", { name: period.name, id: period.id })]);
    },
  },
  {
    words: "period check",
    options: {},
    async run(context) {
      noArgs(context, "operator.admin.period.check.usage");
      const { t } = context;
      const overlaps = await withDatabase(periodOverlaps);
      const json = overlaps.map((o) => ({ first: { id: o.first.id, name: o.first.name }, second: { id: o.second.id, name: o.second.name } }));
      if (overlaps.length === 0) return context.emit({ overlaps: json }, [t("operator.admin.period.checkClean")]);
      context.emit({ overlaps: json }, [
        t("operator.admin.period.checkFound", { count: overlaps.length }),
        ...overlaps.map((o) => t("operator.admin.period.checkPair", { first: windowText(o.first, t), firstId: o.first.id, second: windowText(o.second, t), secondId: o.second.id })),
        t("operator.admin.period.checkAdvice"),
      ]);
      // Found overlaps are a problem for the operator to act on: exit 2 for scripts, after the report.
      throw new OperatorError("operator.admin.period.checkExit", { count: overlaps.length });
    },
  },
];
