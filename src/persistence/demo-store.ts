import type { Db, Tx } from "./db-client.js";

/** What the terminal chat's demo left in a database, by kind of row. */
export interface DemoCounts {
  readonly provinces: number;
  readonly agencies: number;
  readonly periods: number;
  readonly assessments: number;
  readonly answers: number;
  readonly people: number;
}

export function isEmptyDemo(counts: DemoCounts): boolean {
  return Object.values(counts).every((n) => n === 0);
}

interface DemoRows {
  readonly provinceIds: string[];
  readonly agencyIds: string[];
  readonly periodIds: string[];
  readonly assessmentIds: string[];
  /** People whose every role is in the demo: they exist only for it. */
  readonly personIds: string[];
  readonly answers: number;
}

async function demoRows(tx: Tx | Db): Promise<DemoRows> {
  const [provinces, agencies, periods] = await Promise.all([
    tx.province.findMany({ where: { demo: true }, select: { id: true } }),
    tx.agency.findMany({ where: { demo: true }, select: { id: true } }),
    tx.assessmentPeriod.findMany({ where: { demo: true }, select: { id: true } }),
  ]);
  const provinceIds = provinces.map((p) => p.id);
  const agencyIds = agencies.map((a) => a.id);
  const periodIds = periods.map((p) => p.id);
  const assessments = await tx.assessment.findMany({ where: { OR: [{ agencyId: { in: agencyIds } }, { periodId: { in: periodIds } }] }, select: { id: true } });
  const assessmentIds = assessments.map((a) => a.id);
  const demoGrant = { OR: [{ agencyId: { in: agencyIds } }, { provinceId: { in: provinceIds } }] };
  const people = await tx.person.findMany({ where: { roles: { some: demoGrant } }, include: { roles: true } });
  const isDemoGrant = (g: { agencyId: string | null; provinceId: string | null }) =>
    (g.agencyId !== null && agencyIds.includes(g.agencyId)) || (g.provinceId !== null && provinceIds.includes(g.provinceId));
  const personIds = people.filter((p) => p.roles.every(isDemoGrant)).map((p) => p.id);
  const answers = await tx.answer.count({ where: { assessmentId: { in: assessmentIds } } });
  return { provinceIds, agencyIds, periodIds, assessmentIds, personIds, answers };
}

function countsOf(rows: DemoRows): DemoCounts {
  return {
    provinces: rows.provinceIds.length,
    agencies: rows.agencyIds.length,
    periods: rows.periodIds.length,
    assessments: rows.assessmentIds.length,
    answers: rows.answers,
    people: rows.personIds.length,
  };
}

/** What `removeDemo` would delete now. */
export async function countDemo(db: Db): Promise<DemoCounts> {
  return countsOf(await demoRows(db));
}

/**
 * Deletes the demo, in one transaction: its provinces, agencies and periods (flagged `demo`), every assessment of a
 * demo agency or in a demo period with its answers, history and evidence, the roles and invites of the demo, and the
 * people who exist only for it with their terminal chat accounts. Accounts on Telegram or Zalo of such a person are
 * kept but unlinked and start a fresh conversation. Running it again finds nothing and deletes nothing.
 */
export async function removeDemo(db: Db): Promise<DemoCounts> {
  return db.$transaction(
    async (tx) => {
      const rows = await demoRows(tx);
      const byAssessment = { assessmentId: { in: rows.assessmentIds } };
      await tx.answer.deleteMany({ where: byAssessment });
      await tx.answerChange.deleteMany({ where: byAssessment });
      await tx.evidence.deleteMany({ where: byAssessment });
      await tx.assessment.deleteMany({ where: { id: { in: rows.assessmentIds } } });
      await tx.deadline.deleteMany({ where: { periodId: { in: rows.periodIds } } });
      const demoScope = { OR: [{ agencyId: { in: rows.agencyIds } }, { provinceId: { in: rows.provinceIds } }] };
      await tx.roleGrant.deleteMany({ where: demoScope });
      await tx.invite.deleteMany({ where: demoScope });
      const identities = await tx.chatIdentity.findMany({ where: { personId: { in: rows.personIds } }, select: { id: true, channel: true } });
      const identityIds = identities.map((i) => i.id);
      const consoleIds = identities.filter((i) => i.channel === "console").map((i) => i.id);
      await tx.conversationState.deleteMany({ where: { identityId: { in: identityIds } } });
      await tx.outboxMessage.deleteMany({ where: { identityId: { in: consoleIds } } });
      await tx.chatIdentity.deleteMany({ where: { id: { in: consoleIds } } });
      await tx.chatIdentity.updateMany({ where: { id: { in: identityIds } }, data: { personId: null } });
      await tx.person.deleteMany({ where: { id: { in: rows.personIds } } });
      await tx.agency.deleteMany({ where: { id: { in: rows.agencyIds } } });
      await tx.assessmentPeriod.deleteMany({ where: { id: { in: rows.periodIds } } });
      await tx.province.deleteMany({ where: { id: { in: rows.provinceIds } } });
      return countsOf(rows);
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
}
