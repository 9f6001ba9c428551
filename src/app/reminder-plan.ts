import type { Locale } from "../domain/questionnaire/definition-schema.js";
import { reminderKeyPrefix } from "../domain/reminders/deadlines.js";
import { activeSlots, dueReminders, type DueReminder, type ReminderRecipient, type SkippedReminder } from "../domain/reminders/due.js";
import { DEFAULT_REMINDER_POLICY, type ReminderPolicy } from "../domain/reminders/schedule.js";
import { scopeIncludes, type PeriodScope } from "../domain/periods/period-scope.js";
import type { Db } from "../persistence/db-client.js";
import { existingDedupeKeys } from "../persistence/outbox-store.js";
import { loadActivePeriods, loadAgencyPlaces, loadRecipients, loadSubmittedAgencyIds, type StoredReminderPeriod } from "../persistence/reminder-store.js";

/** The reminders of one period at one moment, split by what happens to them. */
export interface PeriodPlan {
  readonly stored: StoredReminderPeriod;
  /** Due and not queued yet. */
  readonly due: readonly DueReminder[];
  /** Due, but already queued earlier (by this or another instance): never queued twice. */
  readonly alreadyQueued: readonly DueReminder[];
  /** Left out: the person opted out or cannot be reached. */
  readonly skipped: readonly SkippedReminder[];
  /** Every linked identity, for the supervisors' digests. */
  readonly recipients: readonly ReminderRecipient[];
}

export interface PlanDeps {
  readonly db: Db;
  readonly defaultLocale: Locale;
  readonly policy?: ReminderPolicy;
}

/**
 * What is due at `now`, read from the database but changing nothing: shared by `reminders preview` and the
 * materialiser, so the preview shows exactly what a run at that moment would queue. Most minutes of the year no
 * deadline × offset window is open and this costs one query.
 */
export async function planReminders(deps: PlanDeps, now: Date): Promise<PeriodPlan[]> {
  const policy = deps.policy ?? DEFAULT_REMINDER_POLICY;
  const plans: PeriodPlan[] = [];
  let recipients: ReminderRecipient[] | null = null;
  let places: Awaited<ReturnType<typeof loadAgencyPlaces>> | null = null;
  for (const stored of await loadActivePeriods(deps.db, now)) {
    const slots = activeSlots(stored.period, now, policy);
    if (slots.length === 0) continue;
    recipients ??= await loadRecipients(deps.db, deps.defaultLocale);
    places ??= await loadAgencyPlaces(deps.db);
    const submittedAgencyIds = await loadSubmittedAgencyIds(deps.db, stored.period.id);
    const inScope = recipients.filter((r) => recipientInScope(stored.scope, r, places ?? new Map()));
    const computed = dueReminders({ period: stored.period, recipients: inScope, submittedAgencyIds, now, policy });
    const existing = new Set<string>();
    for (const slot of slots) {
      for (const key of await existingDedupeKeys(deps.db, reminderKeyPrefix(stored.period.id, slot.deadline.ref, slot.offsetDays))) existing.add(key);
    }
    plans.push({
      stored,
      due: computed.due.filter((d) => !existing.has(d.key)),
      alreadyQueued: computed.due.filter((d) => existing.has(d.key)),
      skipped: computed.skipped.filter((s) => !existing.has(s.key)),
      recipients: inScope,
    });
  }
  return plans;
}

/** Whether a period's reminders are for a person: their agency is in its scope, or (a supervisor) their province. */
function recipientInScope(scope: PeriodScope, recipient: ReminderRecipient, places: ReadonlyMap<string, { provinceId: string; group: string; demo: boolean }>): boolean {
  if (recipient.agencyId === null) return scope.provinces === null || scope.provinces.includes(recipient.provinceId);
  const place = places.get(recipient.agencyId);
  return place !== undefined && scopeIncludes(scope, place);
}
