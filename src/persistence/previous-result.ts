import type { AnswerValue } from "../domain/questionnaire/answer-value.js";
import { scoreAssessment } from "../domain/questionnaire/scoring.js";
import type { PreviousResult } from "../domain/results/history.js";
import type { Db } from "./db-client.js";
import { parsedDefinition } from "./definition-store.js";
import type { AgencyPeriodRow, AnswerRow } from "./session-rows.js";

/**
 * The agency's result in the latest earlier period (by entry window) whose assessment holds at least one answer,
 * scored against that period's own definition; null when there is none. `periods` and `answersOf` are what loadSession
 * read already (the agency's periods with their assessments, and its answers of every period), so this costs no query.
 */
export async function previousResultOf(
  db: Db,
  periods: readonly AgencyPeriodRow[],
  current: AgencyPeriodRow,
  answersOf: (assessmentId: string) => readonly Pick<AnswerRow, "criterionId" | "value">[],
): Promise<PreviousResult | null> {
  const earlier = periods
    .filter((p) => p.id !== current.id && p.assessmentId !== null && p.entryOpens < current.entryOpens)
    .sort((a, b) => b.entryOpens.getTime() - a.entryOpens.getTime());
  for (const period of earlier) {
    if (period.assessmentId === null) continue;
    const answers = new Map<string, AnswerValue>();
    for (const row of answersOf(period.assessmentId)) if (row.value !== null) answers.set(row.criterionId, JSON.parse(row.value) as AnswerValue);
    if (answers.size === 0) continue;
    const definition = await parsedDefinition(db, period.definitionId, period.checksum);
    const score = scoreAssessment(definition, answers);
    return {
      periodName: period.name,
      definitionId: definition.id,
      submitted: period.status === "submitted",
      totalH: score.totalH,
      maxH: score.maxH,
      pillars: score.pillars.map((p) => ({ id: p.id, scoreH: p.scoreH, maxH: p.maxH })),
    };
  }
  return null;
}
