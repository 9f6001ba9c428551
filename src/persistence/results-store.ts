import type { AgencyRecord } from "./agency-store.js";
import { formatVietnamDate, vietnamDayStart } from "../domain/periods/period-file.js";
import type { AnswerValue } from "../domain/questionnaire/answer-value.js";
import type { IndexDefinition } from "../domain/questionnaire/definition-schema.js";
import { scoreAssessment, type AssessmentScore } from "../domain/questionnaire/scoring.js";
import { agencyStatus, type AgencyMemberView, type AgencyStatus, type ProvinceView } from "../domain/results/province-view.js";
import type { Db, Tx } from "./db-client.js";
import { getDefinition } from "./definition-store.js";
import { compareNames } from "./province-store.js";
import { currentPeriod } from "./session-loader.js";
import { parseScopeList } from "../domain/periods/period-scope.js";
import { NotFoundError, StoreRefusal } from "./store-errors.js";

type Client = Db | Tx;

export interface EvidenceRecord {
  readonly kind: string;
  readonly ref: string;
  readonly fileName: string | null;
  /** What the sender wrote with it. */
  readonly caption: string | null;
  readonly addedByName: string;
  readonly addedAt: Date;
}

export interface AnswerRecord {
  readonly criterionId: string;
  /** Null while only a note (or evidence) is on file. */
  readonly value: AnswerValue | null;
  readonly note: string | null;
  readonly answeredByName: string;
  readonly answeredAt: Date | null;
  readonly evidence: readonly EvidenceRecord[];
}

/** One agency's assessment in a period, scored with the scoring engine: what the reports are built from. */
export interface AgencyResult extends Omit<AgencyRecord, "createdAt"> {
  readonly status: AgencyStatus;
  readonly score: AssessmentScore;
  readonly submittedAt: Date | null;
  readonly submittedByName: string | null;
  readonly lastActivity: Date | null;
  /** Every criterion with something on file (answer, note or evidence), by criterion id. */
  readonly answers: ReadonlyMap<string, AnswerRecord>;
  readonly members: readonly AgencyMemberView[];
}

export interface PeriodRecordLite {
  readonly id: string;
  readonly name: string;
  readonly definitionId: string;
  readonly entryOpens: Date;
  readonly entryCloses: Date;
}

export interface PeriodResults {
  readonly period: PeriodRecordLite;
  readonly definition: IndexDefinition;
  /** Agencies by province, then name (Vietnamese order). */
  readonly agencies: readonly AgencyResult[];
}

/** Nudges are queued with this dedupe key, one row per chat account: `nudge:<agency>:<Vietnam day>:<identity>`. */
export function nudgeKeyPrefix(agencyId: string, now: Date): string {
  return `nudge:${agencyId}:${formatVietnamDate(now)}:`;
}

/**
 * Every agency of the scope (one province, or all) with its assessment for the period, scored. Agencies without an
 * assessment row are "not started". The scope is the caller's responsibility: chat passes the supervisor's own
 * province id, never a name typed by someone; with both a province and an agency, an agency of another province
 * yields no agency at all.
 */
export async function loadPeriodResults(db: Db, periodId: string, scope: { readonly provinceId?: string; readonly agencyId?: string } = {}): Promise<PeriodResults> {
  const periodRow = await db.assessmentPeriod.findUnique({ where: { id: periodId } });
  if (!periodRow) throw new NotFoundError(`period: no period with id ${periodId}`);
  // Only demo agencies answer into a demo period: a report of it would list every real agency as not started.
  if (periodRow.demo) throw new StoreRefusal(`period: ${periodId} is the terminal chat's demo period, left out of every report (admin demo remove deletes it)`);
  const definition = await getDefinition(db, periodRow.definitionId);
  if (definition === null) throw new Error(`definition ${periodRow.definitionId} of period ${periodRow.id} is not stored`);
  const agencies = await db.agency.findMany({
    // The terminal chat's demo agency is never part of a report, overview or ranking.
    where: { demo: false, ...(scope.provinceId === undefined ? {} : { provinceId: scope.provinceId }), ...(scope.agencyId === undefined ? {} : { id: scope.agencyId }) },
    include: { province: { select: { name: true } } },
  });
  const agencyIds = agencies.map((a) => a.id);
  const assessments = await db.assessment.findMany({ where: { periodId, agencyId: { in: agencyIds } } });
  const assessmentIds = assessments.map((a) => a.id);
  const [answers, evidence, activity, members] = await Promise.all([
    db.answer.findMany({ where: { assessmentId: { in: assessmentIds } } }),
    db.evidence.findMany({ where: { assessmentId: { in: assessmentIds } }, orderBy: [{ addedAt: "asc" }, { id: "asc" }] }),
    db.answerChange.groupBy({ by: ["assessmentId"], where: { assessmentId: { in: assessmentIds } }, _max: { changedAt: true } }),
    loadMembers(db, agencyIds),
  ]);
  const personIds = new Set<string>([
    ...answers.map((a) => a.answeredById),
    ...evidence.map((e) => e.addedById),
    ...assessments.flatMap((a) => (a.submittedById ? [a.submittedById] : [])),
  ]);
  const names = new Map(
    (await db.person.findMany({ where: { id: { in: [...personIds] } }, select: { id: true, displayName: true } })).map((p) => [p.id, p.displayName]),
  );
  const evidenceBy = groupBy(evidence, (e) => e.assessmentId);
  const answersBy = groupBy(answers, (a) => a.assessmentId);
  const lastChange = new Map(activity.map((a) => [a.assessmentId, a._max.changedAt]));
  const byAgency = new Map(assessments.map((a) => [a.agencyId, a]));

  const results = agencies.map((agency): AgencyResult => {
    const assessment = byAgency.get(agency.id);
    const records = new Map<string, AnswerRecord>();
    for (const answer of assessment ? (answersBy.get(assessment.id) ?? []) : []) {
      records.set(answer.criterionId, {
        criterionId: answer.criterionId,
        value: answer.value === null ? null : (JSON.parse(answer.value) as AnswerValue),
        note: answer.note,
        answeredByName: names.get(answer.answeredById) ?? "",
        answeredAt: answer.answeredAt,
        evidence: [],
      });
    }
    const ownEvidence = assessment ? (evidenceBy.get(assessment.id) ?? []) : [];
    for (const [criterionId, items] of groupBy(ownEvidence, (e) => e.criterionId)) {
      const base = records.get(criterionId) ?? { criterionId, value: null, note: null, answeredByName: "", answeredAt: null, evidence: [] };
      records.set(criterionId, {
        ...base,
        evidence: items.map((e) => ({ kind: e.kind, ref: e.ref, fileName: e.fileName, caption: e.caption, addedByName: names.get(e.addedById) ?? "", addedAt: e.addedAt })),
      });
    }
    const values = new Map<string, AnswerValue>();
    for (const record of records.values()) if (record.value !== null) values.set(record.criterionId, record.value);
    const score = scoreAssessment(definition, values);
    const changedAt = assessment ? (lastChange.get(assessment.id) ?? null) : null;
    const times = [changedAt, assessment?.submittedAt ?? null, assessment?.reopenedAt ?? null].filter((d): d is Date => d !== null);
    return {
      id: agency.id,
      name: agency.name,
      provinceId: agency.provinceId,
      province: agency.province.name,
      group: agency.group,
      type: agency.type,
      demo: agency.demo,
      status: agencyStatus(assessment?.status ?? null, score.answered),
      score,
      submittedAt: assessment?.status === "submitted" ? assessment.submittedAt : null,
      submittedByName: assessment?.status === "submitted" && assessment.submittedById ? (names.get(assessment.submittedById) ?? null) : null,
      lastActivity: times.length === 0 ? null : new Date(Math.max(...times.map((d) => d.getTime()))),
      answers: records,
      members: (members.get(agency.id) ?? []).map(({ name, role, reachable }) => ({ name, role, reachable })),
    };
  });
  results.sort((a, b) => compareNames(a.province, b.province) || compareNames(a.name, b.name) || a.id.localeCompare(b.id));
  return {
    period: { id: periodRow.id, name: periodRow.name, definitionId: periodRow.definitionId, entryOpens: periodRow.entryOpens, entryCloses: periodRow.entryCloses },
    definition,
    agencies: results,
  };
}

/** A chat account that can receive a nudge for an agency. */
export interface NudgeRecipient {
  readonly identityId: string;
  readonly channel: "telegram" | "zalo";
  readonly chatId: string;
  readonly locale: string | null;
}

interface MemberRecord extends AgencyMemberView {
  readonly recipients: readonly NudgeRecipient[];
}

/**
 * The people of each agency (members and leads) with their chat accounts. A person counts for the agency of their
 * latest role grant only, as loadPerson does: someone who moved to another agency is not chased for the old one.
 */
async function loadMembers(db: Client, agencyIds: readonly string[]): Promise<Map<string, MemberRecord[]>> {
  // Live grants only: a person a lead removed is no longer of the agency (not "cannot be reached"), and is not nudged.
  const grants = await db.roleGrant.findMany({ where: { agencyId: { in: [...agencyIds] }, revokedAt: null }, select: { personId: true } });
  const personIds = [...new Set(grants.map((g) => g.personId))];
  const people = await db.person.findMany({
    where: { id: { in: personIds } },
    include: { roles: { where: { revokedAt: null }, orderBy: { createdAt: "desc" }, take: 1 }, identities: true },
  });
  const byAgency = new Map<string, MemberRecord[]>();
  for (const person of people) {
    const grant = person.roles[0];
    if (!grant?.agencyId || (grant.role !== "member" && grant.role !== "lead")) continue;
    const recipients = person.identities.flatMap((identity): NudgeRecipient[] =>
      (identity.channel === "telegram" || identity.channel === "zalo") && identity.reachable && identity.remindersEnabled
        ? [{ identityId: identity.id, channel: identity.channel, chatId: identity.chatId, locale: identity.locale ?? person.locale }]
        : [],
    );
    const record: MemberRecord = {
      name: person.displayName,
      role: grant.role,
      reachable: person.identities.some((i) => i.reachable),
      recipients,
    };
    byAgency.set(grant.agencyId, [...(byAgency.get(grant.agencyId) ?? []), record]);
  }
  for (const list of byAgency.values()) list.sort((a, b) => compareNames(a.name, b.name));
  return byAgency;
}

/** Chat accounts a nudge reaches, per agency (reachable, reminders on, on Telegram or Zalo). */
export async function nudgeRecipients(db: Client, agencyIds: readonly string[]): Promise<Map<string, NudgeRecipient[]>> {
  const members = await loadMembers(db, agencyIds);
  return new Map([...members].map(([agencyId, list]) => [agencyId, list.flatMap((m) => m.recipients)]));
}

/** Agencies (of those given) that were nudged on the Vietnam calendar day of `now`. */
export async function agenciesNudgedToday(db: Client, agencyIds: readonly string[], now: Date): Promise<Set<string>> {
  const rows = await db.outboxMessage.findMany({
    where: { dedupeKey: { startsWith: "nudge:" }, createdAt: { gte: vietnamDayStart(formatVietnamDate(now)) } },
    select: { dedupeKey: true },
  });
  const wanted = new Set(agencyIds);
  const nudged = new Set<string>();
  for (const row of rows) {
    const [, agencyId = "", day] = (row.dedupeKey ?? "").split(":");
    if (wanted.has(agencyId) && day === formatVietnamDate(now)) nudged.add(agencyId);
  }
  return nudged;
}

/**
 * A supervisor's province in the current period, for the conversation engine. Only the given province id is ever
 * read; the caller takes it from the supervisor's own role grant.
 */
export async function loadProvinceView(db: Db, provinceId: string, now: Date): Promise<ProvinceView> {
  const province = await db.province.findUnique({ where: { id: provinceId }, select: { name: true } });
  const provinceName = province?.name ?? "";
  // The province's periods only (a period scoped to other provinces is not theirs), in the chat's order.
  const periods = await db.assessmentPeriod.findMany({ where: { demo: false }, orderBy: [{ entryOpens: "desc" }, { id: "desc" }] });
  const period = currentPeriod(periods.filter((p) => parseScopeList(p.scopeProvinces)?.includes(provinceId) ?? true), now);
  if (!period) return { provinceName, period: null, definition: null, agencies: [] };
  const results = await loadPeriodResults(db, period.id, { provinceId });
  const ids = results.agencies.map((a) => a.id);
  const [recipients, nudged] = await Promise.all([nudgeRecipients(db, ids), agenciesNudgedToday(db, ids, now)]);
  return {
    provinceName,
    period: { id: period.id, name: period.name, entryOpens: period.entryOpens, entryCloses: period.entryCloses },
    definition: results.definition,
    agencies: results.agencies.map((agency) => ({
      id: agency.id,
      name: agency.name,
      group: agency.group,
      status: agency.status,
      score: agency.score,
      submittedAt: agency.submittedAt,
      submittedByName: agency.submittedByName,
      lastActivity: agency.lastActivity,
      members: agency.members,
      recipients: recipients.get(agency.id)?.length ?? 0,
      nudgedToday: nudged.has(agency.id),
    })),
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
