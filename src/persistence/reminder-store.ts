import type { Locale } from "../domain/questionnaire/definition-schema.js";
import type { AnswerValue } from "../domain/questionnaire/answer-value.js";
import { toReminderDeadline, type ReminderDeadline, type ReminderPeriod } from "../domain/reminders/deadlines.js";
import type { ReminderRecipient } from "../domain/reminders/due.js";
import { agencyProgress, type AgencyProgress } from "../domain/reminders/progress.js";
import { CHANNELS } from "../domain/delivery/outbound-message.js";
import type { PeriodScope } from "../domain/periods/period-scope.js";
import type { Db } from "./db-client.js";
import { getDefinition } from "./definition-store.js";
import { findPeriod, listPeriods, recordScope, type PeriodRecord } from "./period-store.js";
import type { DbClient } from "./province-store.js";
import { parseAssignedParts } from "./assigned-parts-column.js";

/** A period reminders work on, with the definition its assessments are scored against and the agencies it is for. */
export interface StoredReminderPeriod {
  readonly period: ReminderPeriod;
  readonly definitionId: string;
  readonly scope: PeriodScope;
}

function toReminderPeriod(record: PeriodRecord): ReminderPeriod {
  return {
    id: record.id,
    name: record.name,
    entryOpens: record.entryOpens,
    entryCloses: record.entryCloses,
    deadlines: record.deadlines.flatMap((d): ReminderDeadline[] => {
      const deadline = toReminderDeadline(d);
      return deadline === null ? [] : [deadline];
    }),
  };
}

/**
 * Periods that may have reminders due at `now`: open for entry already, with a deadline (or the entry close) ahead;
 * never the demo, never a period an operator closed.
 */
export async function loadActivePeriods(db: Db, now: Date): Promise<StoredReminderPeriod[]> {
  const periods = await listPeriods(db);
  return periods
    .filter((p) => !p.demo && p.closedAt === null && p.entryOpens <= now && (p.entryCloses > now || p.deadlines.some((d) => d.dueAt > now)))
    .map((p) => ({
      period: toReminderPeriod(p),
      definitionId: p.definition,
      scope: recordScope(p),
    }));
}

/** Each agency's province, group and demo flag, for matching recipients to a period's scope. */
export async function loadAgencyPlaces(db: DbClient): Promise<Map<string, { provinceId: string; group: string; demo: boolean }>> {
  const agencies = await db.agency.findMany({ select: { id: true, provinceId: true, group: true, demo: true } });
  return new Map(agencies.map((a) => [a.id, { provinceId: a.provinceId, group: a.group, demo: a.demo }]));
}

/** One period by id (for the check at send time); null when it is gone. */
export async function loadReminderPeriod(db: Db, periodId: string): Promise<ReminderPeriod | null> {
  const record = await findPeriod(db, periodId);
  return record === null ? null : toReminderPeriod(record);
}

const asLocale = (value: string | null | undefined): Locale | null => (value === "vi" || value === "en" ? value : null);

/**
 * Every chat identity of a linked person, with their role as the engine sees it (the latest grant) and the
 * agency's or province's id. Identities of people without a grant are left out.
 */
export async function loadRecipients(db: DbClient, defaultLocale: Locale, where: { identityId?: string } = {}): Promise<ReminderRecipient[]> {
  const identities = await db.chatIdentity.findMany({
    where: { personId: { not: null }, ...(where.identityId === undefined ? {} : { id: where.identityId }) },
    include: { person: { include: { roles: { orderBy: { createdAt: "desc" }, take: 1, include: { agency: true } } } } },
    orderBy: { id: "asc" },
  });
  return identities.flatMap((identity): ReminderRecipient[] => {
    const person = identity.person;
    const grant = person?.roles[0];
    const channel = CHANNELS.find((c) => c === identity.channel);
    if (!person || !grant || channel === undefined) return [];
    const provinceId = grant.agency?.provinceId ?? grant.provinceId;
    if (provinceId === null) return [];
    const role = grant.role === "lead" || grant.role === "supervisor" ? grant.role : "member";
    if (role !== "supervisor" && (grant.agencyId === null || grant.agency?.demo === true)) return [];
    return [
      {
        identityId: identity.id,
        personId: person.id,
        name: person.displayName,
        channel,
        chatId: identity.chatId,
        locale: asLocale(identity.locale) ?? asLocale(person.locale) ?? defaultLocale,
        reachable: identity.reachable,
        remindersEnabled: identity.remindersEnabled,
        role,
        agencyId: role === "supervisor" ? null : grant.agencyId,
        provinceId,
        assignedParts: parseAssignedParts(grant.assignedParts),
      },
    ];
  });
}

/** Agencies whose assessment for the period is submitted. */
export async function loadSubmittedAgencyIds(db: DbClient, periodId: string, agencyIds?: readonly string[]): Promise<Set<string>> {
  const rows = await db.assessment.findMany({
    where: { periodId, status: "submitted", ...(agencyIds === undefined ? {} : { agencyId: { in: [...agencyIds] } }) },
    select: { agencyId: true },
  });
  return new Set(rows.map((r) => r.agencyId));
}

export interface AgencyFacts {
  readonly progress: AgencyProgress;
  readonly provinceId: string;
}

/**
 * Where each selected agency stands in the period (completion, estimated score, what is left), scored against the
 * period's definition. Agencies without an assessment row have not started.
 */
export async function loadAgencyFacts(
  db: Db,
  periodId: string,
  definitionId: string,
  select: { readonly agencyIds?: readonly string[]; readonly provinceIds?: readonly string[] },
): Promise<Map<string, AgencyFacts>> {
  const definition = await getDefinition(db, definitionId);
  if (definition === null) throw new Error(`definition ${definitionId} of period ${periodId} is not stored`);
  const or = [
    ...(select.agencyIds && select.agencyIds.length > 0 ? [{ id: { in: [...select.agencyIds] } }] : []),
    ...(select.provinceIds && select.provinceIds.length > 0 ? [{ provinceId: { in: [...select.provinceIds] } }] : []),
  ];
  if (or.length === 0) return new Map();
  const agencies = await db.agency.findMany({ where: { OR: or, demo: false } });
  const assessments = await db.assessment.findMany({
    where: { periodId, agencyId: { in: agencies.map((a) => a.id) } },
    include: { answers: { where: { value: { not: null } }, select: { criterionId: true, value: true } } },
  });
  const byAgency = new Map(assessments.map((a) => [a.agencyId, a]));
  const facts = new Map<string, AgencyFacts>();
  for (const agency of agencies) {
    const assessment = byAgency.get(agency.id);
    const answers = new Map<string, AnswerValue>();
    for (const answer of assessment?.answers ?? []) {
      if (answer.value !== null) answers.set(answer.criterionId, JSON.parse(answer.value) as AnswerValue);
    }
    facts.set(agency.id, {
      progress: agencyProgress(agency, definition, answers, assessment?.status === "submitted"),
      provinceId: agency.provinceId,
    });
  }
  return facts;
}
