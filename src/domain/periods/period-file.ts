import { z } from "zod";
import { firstControlCharacter } from "../text/control-characters.js";
import { AGENCY_GROUPS, type AgencyGroup } from "../agencies/agency-kinds.js";
import type { LocalizedText } from "../questionnaire/definition-schema.js";
import { checkShape, type FileProblem } from "../questionnaire/json-path.js";

/**
 * The assessment-period file of `admin period add` (docs/operator-commands.md): the entry window, the reference period the
 * answers describe, and the deadlines reminders count down to. Operators write it by hand, so every problem names
 * its JSON path in one line, as for definition files. Instants must carry their UTC offset (a bare local time would
 * silently depend on the server's time zone); reference dates are Vietnam calendar dates.
 */

export const DEADLINE_KINDS = ["entry-closes", "province-report", "national-report", "custom"] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DEADLINE_AUDIENCES = ["unsubmitted-agencies", "agency-leads", "province-supervisors", "everyone"] as const;
export type DeadlineAudience = (typeof DEADLINE_AUDIENCES)[number];

/** Reminder days before a deadline when the file gives none (0 = the day itself). */
export const DEFAULT_REMINDER_OFFSETS_DAYS: readonly number[] = [14, 7, 3, 1, 0];

/** Vietnam has kept UTC+7 all year since 1975: no daylight saving time to account for. */
export const VIETNAM_UTC_OFFSET = "+07:00";
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

export interface PeriodDeadline {
  readonly kind: DeadlineKind;
  readonly label: LocalizedText;
  readonly dueAt: Date;
  readonly audience: DeadlineAudience;
  /** Unique whole days before dueAt, in the file's order. */
  readonly offsetsDays: readonly number[];
}

/**
 * Which agencies the period is for, as written in the file: province names (resolved by the store, former names
 * too) and agency groups; a missing list means every one.
 */
export interface PeriodFileScope {
  readonly provinces?: readonly string[];
  readonly groups?: readonly AgencyGroup[];
}

/** A valid period file. Reference dates stay `YYYY-MM-DD` strings: they are calendar days, not instants. */
export interface PeriodFile {
  readonly definition: string;
  readonly name: string;
  readonly scope?: PeriodFileScope;
  readonly referenceFrom: string;
  readonly referenceTo: string;
  readonly entryOpens: Date;
  readonly entryCloses: Date;
  readonly deadlines: readonly PeriodDeadline[];
}

export type PeriodFileProblem = FileProblem;

export type PeriodFileValidation =
  | { readonly ok: true; readonly period: PeriodFile }
  | { readonly ok: false; readonly problems: readonly PeriodFileProblem[] };

const missingOr =
  (message: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? "is required" : message;

/** Longest period name and deadline label: they are shown in chat lines and report titles. */
export const MAX_PERIOD_TEXT = 200;

const text = z
  .string({ error: missingOr("must be a string") })
  .max(MAX_PERIOD_TEXT, `must be at most ${MAX_PERIOD_TEXT} characters`)
  .refine((s) => firstControlCharacter(s) === null, "must not contain control characters");
const nonEmpty = text.trim().min(1, "must not be empty");
const instant = z.iso.datetime({
  offset: true,
  error: missingOr("must be a date-time with its UTC offset, like 2024-11-01T00:00:00+07:00"),
});
const calendarDate = z.iso.date({ error: missingOr("must be a date like 2024-10-31") });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: missingOr(`must be one of ${values.join(", ")}`) });

const labelSchema = z.strictObject(
  { vi: nonEmpty, en: text },
  { error: missingOr('must be an object like { "vi": "…", "en": "…" }') },
);

const deadlineSchema = z.strictObject(
  {
    kind: oneOf(DEADLINE_KINDS),
    label: labelSchema,
    dueAt: instant,
    audience: oneOf(DEADLINE_AUDIENCES),
    offsetsDays: z
      .array(
        z
          .number({ error: "must be a number of days" })
          .int("must be a whole number of days")
          .min(0, "must be 0 or more (days before the deadline)"),
        { error: "must be a list of days, like [14, 7, 3, 1, 0]" },
      )
      .optional(),
  },
  { error: "must be an object" },
);

const periodFileSchema = z.strictObject(
  {
    definition: z
      .string({ error: missingOr("must be a string") })
      .regex(/^[a-z0-9][a-z0-9.-]*$/, "must be a definition id, like press-dx-1827-2024"),
    name: nonEmpty,
    scope: z
      .strictObject(
        {
          provinces: z.array(nonEmpty, { error: 'must be a list of province names, like ["Nghe An"]' }).min(1, "must name at least one province (leave scope.provinces out for every province)").optional(),
          groups: z.array(oneOf(AGENCY_GROUPS), { error: `must be a list of agency groups (${AGENCY_GROUPS.join(", ")})` }).min(1, "must name at least one group (leave scope.groups out for every group)").optional(),
        },
        { error: 'must be an object like { "provinces": ["Nghe An"], "groups": ["local-newspaper"] }' },
      )
      .optional(),
    referenceFrom: calendarDate,
    referenceTo: calendarDate,
    entryOpens: instant,
    entryCloses: instant,
    deadlines: z.array(deadlineSchema, { error: missingOr("must be a list of deadlines") }),
  },
  { error: "must be a JSON object" },
);

type ParsedPeriodFile = z.infer<typeof periodFileSchema>;

/** The one-line form operators see: `deadlines[0].dueAt: must be after entryOpens (…)`. */
export function formatPeriodProblem(problem: PeriodFileProblem): string {
  return `${problem.path}: ${problem.reason}`;
}

/** Validates parsed JSON; cross-field rules run only once the shape is right, as for definitions. */
export function validatePeriodFile(input: unknown): PeriodFileValidation {
  const parsed = checkShape(periodFileSchema, input);
  if (!parsed.ok) return parsed;
  const problems = checkRules(parsed.data);
  return problems.length === 0 ? { ok: true, period: toPeriodFile(parsed.data) } : { ok: false, problems };
}

function checkRules(file: ParsedPeriodFile): PeriodFileProblem[] {
  const problems: PeriodFileProblem[] = [];
  const add = (path: string, reason: string): void => void problems.push({ path, reason });
  if (file.referenceTo < file.referenceFrom) {
    add("referenceTo", `must not be before referenceFrom (${file.referenceTo} < ${file.referenceFrom})`);
  }
  const opens = Date.parse(file.entryOpens);
  if (Date.parse(file.entryCloses) <= opens) {
    add("entryCloses", `must be after entryOpens (${file.entryCloses} ≤ ${file.entryOpens})`);
  }
  file.deadlines.forEach((deadline, d) => {
    if (Date.parse(deadline.dueAt) <= opens) {
      add(`deadlines[${d}].dueAt`, `must be after entryOpens (${deadline.dueAt} ≤ ${file.entryOpens})`);
    }
    const seen = new Set<number>();
    deadline.offsetsDays?.forEach((days, o) => {
      if (seen.has(days)) add(`deadlines[${d}].offsetsDays[${o}]`, `duplicate offset ${days}`);
      seen.add(days);
    });
  });
  return problems;
}

function toPeriodFile(file: ParsedPeriodFile): PeriodFile {
  return {
    definition: file.definition,
    name: file.name,
    ...(file.scope === undefined ? {} : { scope: file.scope }),
    referenceFrom: file.referenceFrom,
    referenceTo: file.referenceTo,
    entryOpens: new Date(file.entryOpens),
    entryCloses: new Date(file.entryCloses),
    deadlines: file.deadlines.map((deadline) => ({
      kind: deadline.kind,
      label: deadline.label,
      dueAt: new Date(deadline.dueAt),
      audience: deadline.audience,
      offsetsDays: deadline.offsetsDays ?? [...DEFAULT_REMINDER_OFFSETS_DAYS],
    })),
  };
}

/** The instant a Vietnam calendar day starts: `2024-10-31` → 2024-10-30T17:00:00Z. */
export function vietnamDayStart(date: string): Date {
  return new Date(`${date}T00:00:00${VIETNAM_UTC_OFFSET}`);
}

/** The Vietnam calendar day an instant falls on, as `YYYY-MM-DD`. */
export function formatVietnamDate(instant: Date): string {
  return new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant in Vietnam time with its offset, e.g. `2024-11-01T00:00:00+07:00` (milliseconds only when not 0). */
export function formatVietnamDateTime(instant: Date): string {
  const local = new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString().replace(/\.000Z$|Z$/, "");
  return `${local}${VIETNAM_UTC_OFFSET}`;
}
