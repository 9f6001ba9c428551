import type { AnswerValue } from "../domain/questionnaire/answer-value.js";
import { scoreAssessment } from "../domain/questionnaire/scoring.js";
import type { PreviousResult } from "../domain/results/history.js";
import { driverSqlOf, type Db } from "./database.js";
import { column, sql } from "./driver-sql.js";
import { parsedDefinition } from "./definition-store.js";
import type { AgencyPeriodRow } from "./session-loader.js";

/**
 * The agency's result in the latest earlier period (by entry window) whose assessment holds at least one answer,
 * scored against that period's own definition; null when there is none. `periods` are the agency's periods with
 * their assessments (loadSession read them already), so an agency without an earlier assessment costs no query.
 */
export async function previousResultOf(db: Db, periods: readonly AgencyPeriodRow[], current: AgencyPeriodRow): Promise<PreviousResult | null> {
  const earlier = periods
    .filter((p) => p.id !== current.id && p.assessmentId !== null && p.entryOpens < current.entryOpens)
    .sort((a, b) => b.entryOpens.getTime() - a.entryOpens.getTime());
  for (const period of earlier) {
    if (period.assessmentId === null) continue;
    const rows = (
      await driverSqlOf(db).rows(sql`SELECT "criterionId", "value" FROM "Answer" WHERE "assessmentId" = ${period.assessmentId} AND "value" IS NOT NULL`)
    ).map((r) => ({ criterionId: column.text(r, "criterionId"), value: column.text(r, "value") }));
    if (rows.length === 0) continue;
    const definition = await parsedDefinition(db, period.definitionId, period.checksum);
    const answers = new Map<string, AnswerValue>(rows.map((r) => [r.criterionId, JSON.parse(r.value) as AnswerValue]));
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
