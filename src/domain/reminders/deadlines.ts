import {
  DEADLINE_AUDIENCES,
  DEADLINE_KINDS,
  DEFAULT_REMINDER_OFFSETS_DAYS,
  type DeadlineAudience,
  type DeadlineKind,
} from "../periods/period-file.js";
import type { LocalizedText } from "../questionnaire/definition-schema.js";

/** The reference of the entry window's own reminders, in place of a stored deadline id. */
export const ENTRY_DEADLINE_REF = "entry";

/** A deadline reminders count down to: a stored one, or the entry window's close. */
export interface ReminderDeadline {
  /** The stored deadline's id, or ENTRY_DEADLINE_REF. */
  readonly ref: string;
  readonly kind: DeadlineKind;
  /** Null for the entry window, whose label is a message key. */
  readonly label: LocalizedText | null;
  readonly dueAt: Date;
  readonly audience: DeadlineAudience;
  readonly offsetsDays: readonly number[];
}

/** An assessment period as reminders see it. */
export interface ReminderPeriod {
  readonly id: string;
  readonly name: string;
  readonly entryOpens: Date;
  readonly entryCloses: Date;
  /** The stored deadlines; the entry window's reminders are added by `periodDeadlines`. */
  readonly deadlines: readonly ReminderDeadline[];
}

/**
 * Every deadline of a period that gets reminders: the stored ones, plus the entry window's close (to agencies that
 * have not submitted, with the default offsets) unless the period already has a deadline of kind entry-closes.
 */
export function periodDeadlines(period: ReminderPeriod): ReminderDeadline[] {
  if (period.deadlines.some((d) => d.kind === "entry-closes")) return [...period.deadlines];
  const entry: ReminderDeadline = {
    ref: ENTRY_DEADLINE_REF,
    kind: "entry-closes",
    label: null,
    dueAt: period.entryCloses,
    audience: "unsubmitted-agencies",
    offsetsDays: DEFAULT_REMINDER_OFFSETS_DAYS,
  };
  return [entry, ...period.deadlines];
}

/** A stored deadline as reminders see it; null when its kind or audience is not one this version knows. */
export function toReminderDeadline(stored: {
  readonly id: string;
  readonly kind: string;
  readonly label: LocalizedText;
  readonly dueAt: Date;
  readonly audience: string;
  readonly offsetsDays: readonly number[];
}): ReminderDeadline | null {
  const kind = DEADLINE_KINDS.find((k) => k === stored.kind);
  const audience = DEADLINE_AUDIENCES.find((a) => a === stored.audience);
  if (kind === undefined || audience === undefined) return null;
  return { ref: stored.id, kind, label: stored.label, dueAt: stored.dueAt, audience, offsetsDays: stored.offsetsDays.filter((d) => Number.isInteger(d) && d >= 0) };
}

export const REMINDER_KEY_PREFIX = "reminder:";

/** The parts of a reminder's dedupe key. */
export interface ReminderKey {
  readonly periodId: string;
  readonly deadlineRef: string;
  readonly offsetDays: number;
  readonly identityId: string;
}

/**
 * `reminder:<periodId>:<deadlineId|entry>:<offset>:<identityId>` — one outbox row per recipient × deadline × offset,
 * made unique by the database, so computing the same reminders twice (or on two instances) queues them once.
 */
export function reminderKey(key: ReminderKey): string {
  return `${REMINDER_KEY_PREFIX}${key.periodId}:${key.deadlineRef}:${key.offsetDays}:${key.identityId}`;
}

/** The prefix every key of one deadline × offset shares (to find what is already queued in one query). */
export function reminderKeyPrefix(periodId: string, deadlineRef: string, offsetDays: number): string {
  return `${REMINDER_KEY_PREFIX}${periodId}:${deadlineRef}:${offsetDays}:`;
}

/** Null for anything that is not a reminder key (interactive replies have none). */
export function parseReminderKey(text: string | null | undefined): ReminderKey | null {
  if (!text?.startsWith(REMINDER_KEY_PREFIX)) return null;
  const parts = text.slice(REMINDER_KEY_PREFIX.length).split(":");
  if (parts.length !== 4) return null;
  const [periodId, deadlineRef, offset, identityId] = parts as [string, string, string, string];
  if (periodId === "" || deadlineRef === "" || identityId === "" || !/^\d+$/.test(offset)) return null;
  return { periodId, deadlineRef, offsetDays: Number(offset), identityId };
}
