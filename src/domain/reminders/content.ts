import type { Reply, ReplyChoice } from "../conversation/effects.js";
import { lines, literal, localized, t, type Text } from "../conversation/text.js";
import type { Locale } from "../questionnaire/definition-schema.js";
import type { ReminderDeadline, ReminderPeriod } from "./deadlines.js";
import type { AgencyProgress } from "./progress.js";
import { calendarDaysBetween } from "./schedule.js";
import { partsText } from "../conversation/assigned-parts.js";

/** Question ids listed in a reminder's "your part" line; more are counted, not listed. */
export const ASSIGNED_IDS_SHOWN = 8;

/** Longest list a digest shows per section; the rest is counted ("… and 12 more"). */
export const DIGEST_MAX_LINES = 25;

/** The deadline's name in the reader's language (the entry window's is a message key). */
export function deadlineLabel(deadline: ReminderDeadline, locale: Locale): Text {
  return deadline.label === null ? t("reminders.entryDeadline") : literal(localized(deadline.label, locale));
}

/** "today is the last day" / "tomorrow" / "N days left", counted in Vietnam calendar days from `now`. */
export function timeLeft(dueAt: Date, now: Date): Text {
  const days = calendarDaysBetween(now, dueAt);
  if (days <= 0) return t("reminders.when.today");
  if (days === 1) return t("reminders.when.tomorrow");
  return t("reminders.when.days", { days });
}

/** Ways to act at once: a button (questionId "menu", understood by the engine) where there are buttons, else a word. */
type Action = "continue" | "submit" | "score";

const ACTION_TEXT: Readonly<Record<Action, { button: string; word: string }>> = {
  continue: { button: "reminders.action.continueButton", word: "reminders.action.continueWord" },
  submit: { button: "reminders.action.submitButton", word: "reminders.action.submitWord" },
  score: { button: "reminders.action.scoreButton", word: "reminders.action.scoreWord" },
};

const ACTION_CHOICE: Readonly<Record<Action, ReplyChoice>> = {
  continue: { value: "continue", label: t("menu.continue") },
  submit: { value: "submit", label: t("menu.submit") },
  score: { value: "score", label: t("menu.score") },
};

export interface AgencyReminderInput {
  readonly period: Pick<ReminderPeriod, "name" | "entryCloses">;
  readonly deadline: ReminderDeadline;
  readonly progress: AgencyProgress;
  readonly role: "member" | "lead";
  /** The recipient's channel shows buttons (Telegram); otherwise the reply names a word to type (Zalo). */
  readonly buttons: boolean;
  readonly locale: Locale;
  readonly now: Date;
  /** The recipient's assigned parts: their unanswered questions there are named first. */
  readonly assignedParts?: readonly string[];
}

/**
 * A reminder to a member or lead of an agency that has not submitted: the deadline and its date, where the agency
 * stands (completion, estimated score, what is left and where most of it is) and one way to go on at once.
 */
export function agencyReminderReply(input: AgencyReminderInput): Reply {
  const { progress, locale, deadline } = input;
  const paragraphs: Text[] = [
    t("reminders.agency.title", { deadline: deadlineLabel(deadline, locale), due: deadline.dueAt, when: timeLeft(deadline.dueAt, input.now) }),
  ];
  const standing: Text[] = [t("reminders.agency.agency", { agency: progress.name, period: input.period.name })];
  if (progress.answered === 0) {
    standing.push(t("reminders.agency.notStarted", { count: progress.criteria }));
  } else {
    standing.push(
      t("reminders.agency.progress", {
        answered: progress.answered,
        count: progress.criteria,
        percent: progress.percent,
        score: progress.score,
        max: progress.maxScore,
        level: localized(progress.level, locale),
      }),
    );
  }
  const windowOpen = input.now <= input.period.entryCloses;
  const mine = windowOpen ? assignedUnanswered(progress.unansweredIds, input.assignedParts ?? []) : [];
  if (mine.length > 0) {
    const shown = mine.slice(0, ASSIGNED_IDS_SHOWN).join(", ") + (mine.length > ASSIGNED_IDS_SHOWN ? ", …" : "");
    paragraphs.push(t("team.reminder.mine", { parts: partsText(input.assignedParts ?? []), count: mine.length, ids: literal(shown) }));
  }
  paragraphs.push(lines(standing));

  let action: Action;
  if (!windowOpen) {
    paragraphs.push(t("reminders.agency.windowClosed", { closed: input.period.entryCloses }));
    action = "score";
  } else if (progress.busiestPillar !== null) {
    paragraphs.push(t("reminders.agency.left", { count: progress.remaining, pillar: progress.busiestPillar.number, pillarCount: progress.busiestPillar.remaining }));
    action = "continue";
  } else {
    paragraphs.push(t(input.role === "lead" ? "reminders.agency.allAnsweredLead" : "reminders.agency.allAnsweredMember"));
    action = input.role === "lead" ? "submit" : "score";
  }
  paragraphs.push(t(input.buttons ? ACTION_TEXT[action].button : ACTION_TEXT[action].word));
  paragraphs.push(t("reminders.optOutHint"));
  return input.buttons ? { paragraphs, choices: [ACTION_CHOICE[action]], questionId: "menu" } : { paragraphs };
}

/** Criterion ids inside the parts (ids are hierarchical: P2.1.3 lies in P2.1 and in P2). */
function assignedUnanswered(unanswered: readonly string[], parts: readonly string[]): string[] {
  return unanswered.filter((id) => parts.some((part) => id === part || id.startsWith(`${part}.`)));
}

/** A person of the province as the digest reports them. */
export interface DigestPerson {
  readonly name: string;
  readonly agencyName: string;
  readonly channel: string;
  readonly reachable: boolean;
  readonly remindersEnabled: boolean;
}

export interface DigestInput {
  readonly period: Pick<ReminderPeriod, "name">;
  readonly deadline: ReminderDeadline;
  readonly provinceName: string;
  readonly agencies: readonly AgencyProgress[];
  /** Every chat identity linked to an agency of the province. */
  readonly people: readonly DigestPerson[];
  /** Agencies (by id) with at least one identity that is reachable and has reminders on. */
  readonly remindedAgencyIds: ReadonlySet<string>;
  readonly locale: Locale;
  readonly now: Date;
}

const CHANNEL_NAMES: Readonly<Record<string, string>> = { telegram: "Telegram", zalo: "Zalo", console: "console" };

/**
 * A province supervisor's digest: agencies submitted (with scores), in progress (with percent and estimated
 * score, furthest first) and not started; then who cannot be reached (blocked the bot), who turned reminders off,
 * and which unfinished agencies nobody there is reminded for.
 */
export function supervisorDigestReply(input: DigestInput): Reply {
  const { locale, agencies } = input;
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, "vi");
  const submitted = agencies.filter((a) => a.status === "submitted").sort((a, b) => b.score - a.score || byName(a, b));
  const inProgress = agencies.filter((a) => a.status === "in-progress").sort((a, b) => b.percent - a.percent || byName(a, b));
  const notStarted = agencies.filter((a) => a.status === "not-started").sort(byName);
  const paragraphs: Text[] = [
    t("reminders.digest.title", {
      province: input.provinceName,
      period: input.period.name,
      deadline: deadlineLabel(input.deadline, locale),
      due: input.deadline.dueAt,
      when: timeLeft(input.deadline.dueAt, input.now),
    }),
  ];
  if (agencies.length === 0) return { paragraphs: [...paragraphs, t("reminders.digest.noAgencies")] };
  paragraphs.push(
    t("reminders.digest.counts", { total: agencies.length, submitted: submitted.length, inProgress: inProgress.length, notStarted: notStarted.length }),
  );
  const section = <T>(titleKey: string, items: readonly T[], line: (item: T) => Text, moreKey: string): void => {
    if (items.length === 0) return;
    const shown = items.slice(0, DIGEST_MAX_LINES).map(line);
    const more = items.length - DIGEST_MAX_LINES;
    paragraphs.push(lines([t(titleKey, { count: items.length }), ...shown, ...(more > 0 ? [t(moreKey, { count: more })] : [])]));
  };
  section(
    "reminders.digest.submittedTitle",
    submitted,
    (a) => t("reminders.digest.submittedLine", { agency: a.name, score: a.score, level: localized(a.level, locale) }),
    "reminders.digest.moreAgencies",
  );
  section(
    "reminders.digest.inProgressTitle",
    inProgress,
    (a) => t("reminders.digest.inProgressLine", { agency: a.name, percent: a.percent, answered: a.answered, criteria: a.criteria, score: a.score }),
    "reminders.digest.moreAgencies",
  );
  section("reminders.digest.notStartedTitle", notStarted, (a) => t("reminders.digest.agencyLine", { agency: a.name }), "reminders.digest.moreAgencies");

  const people = [...input.people].sort((a, b) => a.agencyName.localeCompare(b.agencyName, "vi") || a.name.localeCompare(b.name, "vi"));
  const personLine = (p: DigestPerson) => t("reminders.digest.personLine", { name: p.name, agency: p.agencyName, channel: CHANNEL_NAMES[p.channel] ?? p.channel });
  section("reminders.digest.unreachableTitle", people.filter((p) => !p.reachable), personLine, "reminders.digest.morePeople");
  section("reminders.digest.optedOutTitle", people.filter((p) => p.reachable && !p.remindersEnabled), personLine, "reminders.digest.morePeople");
  const unreminded = [...inProgress, ...notStarted].filter((a) => !input.remindedAgencyIds.has(a.agencyId)).sort(byName);
  section("reminders.digest.nobodyTitle", unreminded, (a) => t("reminders.digest.agencyLine", { agency: a.name }), "reminders.digest.moreAgencies");
  return { paragraphs };
}

/** Told to an agency's leads when the last member who still got reminders turned them off. */
export function leadOptOutNotice(input: { readonly name: string; readonly agencyName: string }): Reply {
  return { paragraphs: [t("reminders.leadNotice", { name: input.name, agency: input.agencyName })] };
}
