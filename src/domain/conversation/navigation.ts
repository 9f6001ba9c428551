import { listCriteria, type CriterionEntry } from "../questionnaire/definition-index.js";
import type { IndexDefinition } from "../questionnaire/definition-schema.js";

/** The criteria of a definition in reading order, computed once per definition object. */
const cache = new WeakMap<IndexDefinition, CriterionEntry[]>();
export function criteriaOf(definition: IndexDefinition): readonly CriterionEntry[] {
  let entries = cache.get(definition);
  if (!entries) {
    entries = listCriteria(definition);
    cache.set(definition, entries);
  }
  return entries;
}

export function findEntry(definition: IndexDefinition, criterionId: string | undefined): CriterionEntry | undefined {
  return criterionId === undefined ? undefined : criteriaOf(definition).find((e) => e.criterion.id === criterionId);
}

/**
 * The next criterion still without an answer after `from` (wrapping to the start), or undefined when every
 * criterion is answered. Several members answer one assessment, so the next question skips what others did.
 */
export function nextUnanswered(
  definition: IndexDefinition,
  isAnswered: (criterionId: string) => boolean,
  from: CriterionEntry | undefined,
): CriterionEntry | undefined {
  const all = criteriaOf(definition);
  const start = from === undefined ? 0 : from.index + 1;
  for (let offset = 0; offset < all.length; offset += 1) {
    const entry = all[(start + offset) % all.length];
    if (entry && !isAnswered(entry.criterion.id)) return entry;
  }
  return undefined;
}

export function nextInOrder(definition: IndexDefinition, from: CriterionEntry): CriterionEntry | undefined {
  return criteriaOf(definition)[from.index + 1];
}

export function previousInOrder(definition: IndexDefinition, from: CriterionEntry): CriterionEntry | undefined {
  return from.index === 0 ? undefined : criteriaOf(definition)[from.index - 1];
}

/**
 * Resolves a `goto` target: a pillar number ("2"), a pillar, indicator or criterion id ("P2", "P2.1", "P2.1.3",
 * case-insensitive). For a pillar or indicator, the first unanswered criterion in it, else its first criterion.
 */
export function resolveGoto(
  definition: IndexDefinition,
  target: string,
  isAnswered: (criterionId: string) => boolean,
): CriterionEntry | undefined {
  const cleaned = target.trim().toUpperCase().replace(/^TRU COT\s*|^TRỤ CỘT\s*|^PILLAR\s*/i, "");
  const id = /^\d+$/.test(cleaned) ? `P${cleaned}` : cleaned;
  const all = criteriaOf(definition);
  const exact = all.find((e) => e.criterion.id === id);
  if (exact) return exact;
  const inside = all.filter((e) => e.pillar.id === id || e.indicator.id === id);
  return inside.find((e) => !isAnswered(e.criterion.id)) ?? inside[0];
}
