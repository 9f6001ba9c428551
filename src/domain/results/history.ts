import type { AssessmentScore } from "../questionnaire/scoring.js";

/**
 * An agency's result in an earlier period, scored against that period's own definition. Plain numbers only, so the
 * engine can compare without loading the earlier definition.
 */
export interface PreviousResult {
  readonly periodName: string;
  readonly definitionId: string;
  readonly submitted: boolean;
  readonly totalH: number;
  readonly maxH: number;
  readonly pillars: readonly { readonly id: string; readonly scoreH: number; readonly maxH: number }[];
}

export interface PillarChange {
  readonly id: string;
  readonly scoreH: number;
  /** Null when the earlier definition has no pillar of this id. */
  readonly previousH: number | null;
  readonly deltaH: number | null;
}

/** What changed since the earlier result, in hundredths. */
export interface ResultChange {
  readonly previous: PreviousResult;
  /** False when the two periods use different definitions: pillars are then matched by id only. */
  readonly sameDefinition: boolean;
  readonly totalDeltaH: number;
  readonly pillars: readonly PillarChange[];
}

/**
 * Compares a score with an earlier result. Definitions change almost every year, so pillars are matched by id
 * (P1…P5 have kept their ids and maxima across 951 and 1827); a pillar the earlier definition lacks has no delta.
 */
export function compareWithPrevious(score: AssessmentScore, previous: PreviousResult | undefined): ResultChange | null {
  if (previous === undefined) return null;
  const earlier = new Map(previous.pillars.map((p) => [p.id, p.scoreH]));
  return {
    previous,
    sameDefinition: previous.definitionId === score.definitionId,
    totalDeltaH: score.totalH - previous.totalH,
    pillars: score.pillars.map((p) => {
      const previousH = earlier.get(p.id) ?? null;
      return { id: p.id, scoreH: p.scoreH, previousH, deltaH: previousH === null ? null : p.scoreH - previousH };
    }),
  };
}
