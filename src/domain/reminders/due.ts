import type { DeadlineAudience } from "../periods/period-file.js";
import type { Locale } from "../questionnaire/definition-schema.js";
import { periodDeadlines, reminderKey, type ReminderDeadline, type ReminderKey, type ReminderPeriod } from "./deadlines.js";
import {
  DEFAULT_REMINDER_POLICY,
  inQuietHours,
  quietHoursEnd,
  reminderWindow,
  withinWindow,
  type ReminderPolicy,
  type ReminderWindow,
} from "./schedule.js";

export type ReminderRole = "member" | "lead" | "supervisor";

/** One chat identity of a linked person, with what decides whether and what to remind them. */
export interface ReminderRecipient {
  readonly identityId: string;
  readonly personId: string;
  readonly name: string;
  /** telegram | zalo | console */
  readonly channel: string;
  readonly chatId: string;
  readonly locale: Locale;
  /** False once the platform said the person blocked the bot. */
  readonly reachable: boolean;
  /** False after "/reminders off" (“tắt nhắc”). */
  readonly remindersEnabled: boolean;
  readonly role: ReminderRole;
  /** The agency of a member or lead; null for a supervisor. */
  readonly agencyId: string | null;
  readonly provinceId: string;
  /** Pillars or indicators their lead assigned them ("P3", "P2.1"): their reminder names those questions first. */
  readonly assignedParts?: readonly string[];
}

/** What a recipient gets: their agency's own reminder, or (supervisors) a digest of their province. */
export type ReminderContentKind = "agency" | "digest";

/** One deadline × offset whose window holds `now`. */
export interface ActiveSlot {
  readonly deadline: ReminderDeadline;
  readonly offsetDays: number;
  readonly window: ReminderWindow;
}

export interface DueReminder {
  readonly key: string;
  readonly deadline: ReminderDeadline;
  readonly offsetDays: number;
  readonly recipient: ReminderRecipient;
  readonly content: ReminderContentKind;
}

export type SkipReason = "opted-out" | "unreachable";

export interface SkippedReminder {
  readonly key: string;
  readonly deadline: ReminderDeadline;
  readonly offsetDays: number;
  readonly recipient: ReminderRecipient;
  readonly reason: SkipReason;
}

export interface DueInput {
  readonly period: ReminderPeriod;
  readonly recipients: readonly ReminderRecipient[];
  /** Agencies whose assessment for this period is submitted. */
  readonly submittedAgencyIds: ReadonlySet<string>;
  readonly now: Date;
  readonly policy?: ReminderPolicy;
}

/**
 * The deadline × offset pairs due at `now`: nothing in quiet hours (the reminder waits until they end, its window
 * still open), nothing before its slot, after its deadline or once the next reminder of the deadline took over.
 */
export function activeSlots(period: ReminderPeriod, now: Date, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY): ActiveSlot[] {
  if (inQuietHours(now, policy)) return [];
  const slots: ActiveSlot[] = [];
  for (const deadline of periodDeadlines(period)) {
    for (const offsetDays of deadline.offsetsDays) {
      const window = reminderWindow(deadline, offsetDays, period.entryOpens, policy);
      if (window !== null && withinWindow(window, now)) slots.push({ deadline, offsetDays, window });
    }
  }
  return slots.sort((a, b) => a.deadline.dueAt.getTime() - b.deadline.dueAt.getTime() || b.offsetDays - a.offsetDays);
}

/**
 * Who gets what for an audience, or null when the recipient is not in it. Every reminder about an agency stops once
 * that agency has submitted, whatever the audience; supervisors get a digest of their province instead.
 * - unsubmitted-agencies: members and leads of agencies that have not submitted;
 * - agency-leads: their leads only;
 * - province-supervisors: a digest per supervisor;
 * - everyone: all of the above.
 */
export function audienceContent(audience: DeadlineAudience, recipient: Pick<ReminderRecipient, "role" | "agencyId">, submitted: boolean): ReminderContentKind | null {
  if (recipient.role === "supervisor") return audience === "province-supervisors" || audience === "everyone" ? "digest" : null;
  if (recipient.agencyId === null || submitted) return null;
  switch (audience) {
    case "unsubmitted-agencies":
    case "everyone":
      return "agency";
    case "agency-leads":
      return recipient.role === "lead" ? "agency" : null;
    case "province-supervisors":
      return null;
  }
}

/** The reminders to queue at `now`, and those left out because the person opted out or cannot be reached. */
export function dueReminders(input: DueInput): { due: DueReminder[]; skipped: SkippedReminder[] } {
  const due: DueReminder[] = [];
  const skipped: SkippedReminder[] = [];
  const recipients = [...input.recipients].sort((a, b) => a.identityId.localeCompare(b.identityId));
  for (const { deadline, offsetDays } of activeSlots(input.period, input.now, input.policy)) {
    for (const recipient of recipients) {
      const submitted = recipient.agencyId !== null && input.submittedAgencyIds.has(recipient.agencyId);
      const content = audienceContent(deadline.audience, recipient, submitted);
      if (content === null) continue;
      const key = reminderKey({ periodId: input.period.id, deadlineRef: deadline.ref, offsetDays, identityId: recipient.identityId });
      const reason: SkipReason | null = !recipient.remindersEnabled ? "opted-out" : !recipient.reachable ? "unreachable" : null;
      if (reason !== null) skipped.push({ key, deadline, offsetDays, recipient, reason });
      else due.push({ key, deadline, offsetDays, recipient, content });
    }
  }
  return { due, skipped };
}

export type DropReason = "unknown-deadline" | "deadline-passed" | "superseded" | "unknown-recipient" | "submitted" | "not-in-audience" | SkipReason;

/** What to do with a queued reminder at send time. */
export type ReminderSendDecision =
  | { readonly kind: "send" }
  | { readonly kind: "drop"; readonly reason: DropReason }
  | { readonly kind: "defer"; readonly until: Date };

export interface SendCheck {
  /** The reminder's period as stored now; null when it is gone. */
  readonly period: ReminderPeriod | null;
  readonly key: ReminderKey;
  /** The recipient as stored now, with their agency's submission; null when the identity is gone or unlinked. */
  readonly recipient: (Pick<ReminderRecipient, "reachable" | "remindersEnabled" | "role" | "agencyId"> & { readonly submitted: boolean }) | null;
  readonly now: Date;
  readonly policy?: ReminderPolicy;
}

/**
 * Re-checks a queued reminder just before it is sent: it is dropped (never sent late) once its deadline has passed,
 * the next reminder of the deadline took over, the agency submitted or the person opted out or blocked the bot;
 * in quiet hours it waits until they end.
 */
export function reminderSendDecision(check: SendCheck): ReminderSendDecision {
  const policy = check.policy ?? DEFAULT_REMINDER_POLICY;
  const deadline = check.period === null ? undefined : periodDeadlines(check.period).find((d) => d.ref === check.key.deadlineRef);
  if (check.period === null || deadline === undefined) return { kind: "drop", reason: "unknown-deadline" };
  if (check.now >= deadline.dueAt) return { kind: "drop", reason: "deadline-passed" };
  const window = reminderWindow(deadline, check.key.offsetDays, check.period.entryOpens, policy);
  if (window === null || check.now >= window.until) return { kind: "drop", reason: "superseded" };
  const recipient = check.recipient;
  if (recipient === null) return { kind: "drop", reason: "unknown-recipient" };
  if (!recipient.remindersEnabled) return { kind: "drop", reason: "opted-out" };
  if (!recipient.reachable) return { kind: "drop", reason: "unreachable" };
  if (audienceContent(deadline.audience, recipient, recipient.submitted) === null) {
    return { kind: "drop", reason: recipient.submitted && recipient.role !== "supervisor" ? "submitted" : "not-in-audience" };
  }
  if (check.now < window.from) return { kind: "defer", until: window.from };
  if (inQuietHours(check.now, policy)) return { kind: "defer", until: quietHoursEnd(check.now, policy) };
  return { kind: "send" };
}
