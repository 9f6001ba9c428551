import type { AnswerValue } from "./answer-value.js";
import type { Criterion, IndexDefinition, Level } from "./definition-schema.js";
import { fromHundredths, linearHundredths, toHundredths } from "./hundredths.js";

/** Answers keyed by criterion id. Values are assumed valid (see checkAnswerValue); a missing key is unanswered. */
export type Answers = ReadonlyMap<string, AnswerValue>;

/** Sub-totals are integers in hundredths of a point, so sums are exact. */
export interface Tally {
  readonly id: string;
  readonly scoreH: number;
  readonly maxH: number;
  readonly answered: number;
  readonly criteria: number;
}

export interface PillarTally extends Tally {
  readonly indicators: readonly Tally[];
}

export interface AssessmentScore {
  readonly definitionId: string;
  readonly totalH: number;
  readonly maxH: number;
  readonly level: Level;
  readonly answered: number;
  readonly criteria: number;
  readonly pillars: readonly PillarTally[];
}

/** Score of one criterion for a valid answer value, in hundredths. */
export function criterionScoreH(criterion: Criterion, value: AnswerValue | undefined): number {
  if (value === undefined) return 0;
  const maxH = toHundredths(criterion.maxScore);
  const spec = criterion.answer;
  switch (spec.type) {
    case "yesno":
      return value === true ? maxH : 0;
    case "choice": {
      const option = spec.options.find((o) => o.id === value);
      return option ? toHundredths(option.score) : 0;
    }
    case "multi": {
      if (!Array.isArray(value)) return 0;
      const chosen = new Set<string>(value);
      const sum = spec.options.filter((o) => chosen.has(o.id)).reduce((acc, o) => acc + toHundredths(o.score), 0);
      return Math.min(sum, maxH);
    }
    case "number": {
      if (typeof value !== "number") return 0;
      if (spec.linear) return linearHundredths(maxH, value, spec.linear.target);
      let scoreH = 0;
      for (const band of spec.bands ?? []) if (band.from <= value) scoreH = toHundredths(band.score);
      return scoreH;
    }
  }
}

/** The last level whose minScore ≤ total (levels are sorted ascending by validation). */
export function levelFor(definition: IndexDefinition, totalH: number): Level {
  let level = definition.levels[0];
  for (const candidate of definition.levels) if (toHundredths(candidate.minScore) <= totalH) level = candidate;
  if (level === undefined) throw new Error(`definition ${definition.id} has no levels`);
  return level;
}

/** Scores a whole assessment: per criterion, summed per indicator, per pillar, then the total and level. */
export function scoreAssessment(definition: IndexDefinition, answers: Answers): AssessmentScore {
  const pillars = definition.pillars.map((pillar): PillarTally => {
    const indicators = pillar.indicators.map((indicator): Tally => {
      let scoreH = 0;
      let answered = 0;
      for (const criterion of indicator.criteria) {
        const value = answers.get(criterion.id);
        if (value !== undefined) answered += 1;
        scoreH += criterionScoreH(criterion, value);
      }
      const maxH = indicator.criteria.reduce((acc, c) => acc + toHundredths(c.maxScore), 0);
      return { id: indicator.id, scoreH, maxH, answered, criteria: indicator.criteria.length };
    });
    return { id: pillar.id, ...sumTallies(indicators), maxH: toHundredths(pillar.maxScore), indicators };
  });
  const totals = sumTallies(pillars);
  return {
    definitionId: definition.id,
    totalH: totals.scoreH,
    maxH: toHundredths(definition.maxScore),
    level: levelFor(definition, totals.scoreH),
    answered: totals.answered,
    criteria: totals.criteria,
    pillars,
  };
}

function sumTallies(tallies: readonly Tally[]): Omit<Tally, "id"> {
  return tallies.reduce(
    (acc, t) => ({
      scoreH: acc.scoreH + t.scoreH,
      maxH: acc.maxH + t.maxH,
      answered: acc.answered + t.answered,
      criteria: acc.criteria + t.criteria,
    }),
    { scoreH: 0, maxH: 0, answered: 0, criteria: 0 },
  );
}

export interface MissingPoints {
  readonly criterion: Criterion;
  readonly pillarId: string;
  readonly indicatorId: string;
  readonly scoreH: number;
  readonly missingH: number;
  readonly answered: boolean;
}

/**
 * Criteria ordered by points still missing, most first; ties keep the definition's order so advice is stable.
 * Criteria already at full marks are left out.
 */
export function mostMissingPoints(definition: IndexDefinition, answers: Answers, limit = Infinity): MissingPoints[] {
  const all: MissingPoints[] = [];
  for (const pillar of definition.pillars) {
    for (const indicator of pillar.indicators) {
      for (const criterion of indicator.criteria) {
        const value = answers.get(criterion.id);
        const scoreH = criterionScoreH(criterion, value);
        const missingH = toHundredths(criterion.maxScore) - scoreH;
        if (missingH > 0) {
          all.push({ criterion, pillarId: pillar.id, indicatorId: indicator.id, scoreH, missingH, answered: value !== undefined });
        }
      }
    }
  }
  return all
    .map((entry, order) => ({ entry, order }))
    .sort((a, b) => b.entry.missingH - a.entry.missingH || a.order - b.order)
    .slice(0, limit)
    .map(({ entry }) => entry);
}

/** The JSON shape of the `score` command (definition-format.md, "The scoring command"). */
export function scoreToJson(definition: IndexDefinition, score: AssessmentScore) {
  return {
    definition: score.definitionId,
    total: fromHundredths(score.totalH),
    maxScore: fromHundredths(score.maxH),
    level: { id: score.level.id, name: score.level.name },
    answered: score.answered,
    criteria: score.criteria,
    pillars: score.pillars.map((p) => ({
      id: p.id,
      score: fromHundredths(p.scoreH),
      maxScore: fromHundredths(p.maxH),
      indicators: p.indicators.map((i) => ({ id: i.id, score: fromHundredths(i.scoreH), maxScore: fromHundredths(i.maxH) })),
    })),
  };
}
