import type { IndexDefinition, LocalizedText } from "../questionnaire/definition-schema.js";
import { fromHundredths } from "../questionnaire/hundredths.js";
import { listCriteria } from "../questionnaire/definition-index.js";
import { scoreAssessment, type Answers } from "../questionnaire/scoring.js";

/** Where an agency stands in a period: what reminders and digests tell people. */
export interface AgencyProgress {
  readonly agencyId: string;
  readonly name: string;
  readonly status: "not-started" | "in-progress" | "submitted";
  readonly answered: number;
  readonly criteria: number;
  /** Whole percent answered, rounded down: 100 only when every criterion is answered. */
  readonly percent: number;
  /** The current estimated score in points (unanswered criteria count 0). */
  readonly score: number;
  readonly maxScore: number;
  readonly level: LocalizedText;
  readonly remaining: number;
  /** The pillar with the most unanswered criteria (1-based; the first on ties); null when none is left. */
  readonly busiestPillar: { readonly number: number; readonly remaining: number } | null;
  /** The criteria without an answer, in reading order (a person's reminder names those of their assigned part). */
  readonly unansweredIds: readonly string[];
}

export function agencyProgress(
  agency: { readonly id: string; readonly name: string },
  definition: IndexDefinition,
  answers: Answers,
  submitted: boolean,
): AgencyProgress {
  const score = scoreAssessment(definition, answers);
  let busiest: AgencyProgress["busiestPillar"] = null;
  for (const [index, pillar] of score.pillars.entries()) {
    const left = pillar.criteria - pillar.answered;
    if (left > 0 && (busiest === null || left > busiest.remaining)) busiest = { number: index + 1, remaining: left };
  }
  return {
    agencyId: agency.id,
    name: agency.name,
    status: submitted ? "submitted" : score.answered === 0 ? "not-started" : "in-progress",
    answered: score.answered,
    criteria: score.criteria,
    percent: score.criteria === 0 ? 0 : Math.floor((score.answered / score.criteria) * 100),
    score: fromHundredths(score.totalH),
    maxScore: fromHundredths(score.maxH),
    level: score.level.name,
    remaining: score.criteria - score.answered,
    busiestPillar: busiest,
    unansweredIds: listCriteria(definition).map((e) => e.criterion.id).filter((id) => !answers.has(id)),
  };
}
