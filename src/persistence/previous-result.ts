import type { AnswerValue } from "../domain/questionnaire/answer-value.js";
import { scoreAssessment } from "../domain/questionnaire/scoring.js";
import type { PreviousResult } from "../domain/results/history.js";
import type { Db } from "./database.js";
import { getDefinition } from "./definition-store.js";

/**
 * The agency's result in the latest earlier period (by entry window) whose assessment holds at least one answer,
 * scored against that period's own definition; null when there is none. Two small queries, so it can run with every
 * session load.
 */
export async function loadPreviousResult(db: Db, agencyId: string, period: { readonly id: string; readonly entryOpens: Date }): Promise<PreviousResult | null> {
  const assessment = await db.assessment.findFirst({
    where: { agencyId, periodId: { not: period.id }, period: { entryOpens: { lt: period.entryOpens } }, answers: { some: { value: { not: null } } } },
    orderBy: { period: { entryOpens: "desc" } },
    include: { period: true, answers: { where: { value: { not: null } }, select: { criterionId: true, value: true } } },
  });
  if (!assessment) return null;
  const definition = await getDefinition(db, assessment.period.definitionId);
  if (definition === null) return null;
  const answers = new Map<string, AnswerValue>();
  for (const answer of assessment.answers) if (answer.value !== null) answers.set(answer.criterionId, JSON.parse(answer.value) as AnswerValue);
  const score = scoreAssessment(definition, answers);
  return {
    periodName: assessment.period.name,
    definitionId: definition.id,
    submitted: assessment.status === "submitted",
    totalH: score.totalH,
    maxH: score.maxH,
    pillars: score.pillars.map((p) => ({ id: p.id, scoreH: p.scoreH, maxH: p.maxH })),
  };
}
