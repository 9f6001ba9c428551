import type { AnswerView, InviteLookup, PersonView, SessionView } from "../domain/conversation/context.js";
import type { AnswerValue } from "../domain/questionnaire/answer-value.js";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import type { Db } from "./database.js";
import { getDefinition } from "./definition-store.js";
import { loadPreviousResult } from "./previous-result.js";

type Client = Db;

/** Who is behind a chat identity: their person, role and agency or province; null when not linked yet. */
export async function loadPerson(db: Client, personId: string | null): Promise<(PersonView & { agencyId: string | null; provinceId: string }) | null> {
  if (personId === null) return null;
  const person = await db.person.findUnique({
    where: { id: personId },
    include: { roles: { orderBy: { createdAt: "desc" }, take: 1, include: { agency: { include: { province: true } }, province: true } } },
  });
  const grant = person?.roles[0];
  if (!person || !grant) return null;
  const province = grant.agency?.province ?? grant.province;
  if (!province) return null;
  return {
    id: person.id,
    name: person.displayName,
    locale: person.locale === "en" || person.locale === "vi" ? (person.locale as Locale) : null,
    role: grant.role === "lead" || grant.role === "supervisor" ? grant.role : "member",
    agencyName: grant.agency?.name ?? null,
    agencyId: grant.agencyId,
    provinceName: province.name,
    provinceId: province.id,
  };
}

export async function lookupInvite(db: Client, codeHash: string, now: Date): Promise<InviteLookup> {
  const invite = await db.invite.findUnique({ where: { codeHash }, include: { agency: true, province: true } });
  if (!invite) return { status: "unknown" };
  if (invite.usedAt !== null) return { status: "used" };
  if (invite.expiresAt <= now) return { status: "expired" };
  const role = invite.role === "lead" || invite.role === "supervisor" ? invite.role : "member";
  return { status: "valid", inviteId: invite.id, role, targetName: invite.agency?.name ?? invite.province?.name ?? "" };
}

/**
 * The period an agency works on now: the one whose entry window is open; otherwise the latest one that has opened
 * (answers are then read-only); otherwise the next one to open. Its assessment row is created on first use.
 */
export async function loadSession(db: Client, agencyId: string, now: Date): Promise<SessionView | null> {
  const period = currentPeriod(await db.assessmentPeriod.findMany({ orderBy: { entryOpens: "desc" } }), now);
  if (!period) return null;
  // Read first: the row exists for every message but the first of an agency in a period, and a read costs no commit.
  const assessment =
    (await db.assessment.findUnique({ where: { agencyId_periodId: { agencyId, periodId: period.id } } })) ??
    (await db.assessment.upsert({
      where: { agencyId_periodId: { agencyId, periodId: period.id } },
      create: { agencyId, periodId: period.id },
      update: {},
    }));
  const [definition, answers, evidence] = await Promise.all([
    getDefinition(db, period.definitionId).then((d) => {
      if (d === null) throw new Error(`definition ${period.definitionId} of period ${period.id} is not stored`);
      return d;
    }),
    db.answer.findMany({ where: { assessmentId: assessment.id } }),
    db.evidence.groupBy({ by: ["criterionId"], where: { assessmentId: assessment.id }, _count: { _all: true } }),
  ]);
  const peopleIds = [...new Set([...answers.map((a) => a.answeredById), ...(assessment.submittedById ? [assessment.submittedById] : [])])];
  const people = new Map(
    (await db.person.findMany({ where: { id: { in: peopleIds } }, select: { id: true, displayName: true } })).map((p) => [p.id, p.displayName]),
  );
  const evidenceCounts = new Map(evidence.map((e) => [e.criterionId, e._count._all]));
  const previous = await loadPreviousResult(db, agencyId, period);
  const views = new Map<string, AnswerView>();
  for (const answer of answers) {
    views.set(answer.criterionId, {
      value: answer.value === null ? null : (JSON.parse(answer.value) as AnswerValue),
      note: answer.note,
      answeredById: answer.answeredById,
      answeredByName: people.get(answer.answeredById) ?? "",
      answeredAt: answer.answeredAt,
      evidenceCount: evidenceCounts.get(answer.criterionId) ?? 0,
    });
  }
  // Evidence can arrive before an answer; count it on a placeholder so the question shows it.
  for (const [criterionId, count] of evidenceCounts) {
    if (!views.has(criterionId)) {
      views.set(criterionId, { value: null, note: null, answeredById: "", answeredByName: "", answeredAt: now, evidenceCount: count });
    }
  }
  return {
    assessmentId: assessment.id,
    periodName: period.name,
    entryOpens: period.entryOpens,
    entryCloses: period.entryCloses,
    status: assessment.status === "submitted" ? "submitted" : "draft",
    submittedAt: assessment.submittedAt,
    submittedByName: assessment.submittedById ? (people.get(assessment.submittedById) ?? null) : null,
    definition,
    answers: views,
    ...(previous ? { previous } : {}),
  };
}

/** The period people work on now (see loadSession), from periods sorted by entryOpens, latest first. */
export function currentPeriod<P extends { entryOpens: Date; entryCloses: Date }>(periods: readonly P[], now: Date): P | undefined {
  return periods.find((p) => p.entryOpens <= now && now <= p.entryCloses) ?? periods.find((p) => p.entryOpens <= now) ?? periods[periods.length - 1];
}
