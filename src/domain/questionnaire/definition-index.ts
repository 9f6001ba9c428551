import type { Criterion, IndexDefinition, Indicator, Pillar } from "./definition-schema.js";

/** A criterion with its place in the definition: what the conversation walks through, in order. */
export interface CriterionEntry {
  readonly criterion: Criterion;
  readonly pillar: Pillar;
  readonly indicator: Indicator;
  /** 0-based position among all criteria. */
  readonly index: number;
  /** 0-based position of the pillar. */
  readonly pillarIndex: number;
}

/** Flattens a definition into its criteria in reading order, pillar by pillar and indicator by indicator. */
export function listCriteria(definition: IndexDefinition): CriterionEntry[] {
  const entries: CriterionEntry[] = [];
  definition.pillars.forEach((pillar, pillarIndex) => {
    for (const indicator of pillar.indicators) {
      for (const criterion of indicator.criteria) {
        entries.push({ criterion, pillar, indicator, index: entries.length, pillarIndex });
      }
    }
  });
  return entries;
}
