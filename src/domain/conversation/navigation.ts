import { listCriteria, type CriterionEntry } from "../questionnaire/definition-index.js";
import type { IndexDefinition } from "../questionnaire/definition-schema.js";
import { foldText } from "./text.js";

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

/** Where "đến …" leads: one criterion, nowhere, or a bare number that could be a question or a pillar. */
export type GotoTarget =
  | { readonly kind: "found"; readonly entry: CriterionEntry }
  | { readonly kind: "unknown" }
  | { readonly kind: "ambiguous"; readonly number: number; readonly question: CriterionEntry; readonly pillar: CriterionEntry };

const CRITERION_ID = /^p?\s*(\d+(?:\.\d+){1,2})$/i;

/** "P2.1.3", "p2.1.3" or "2.1.3" on its own: an indicator or criterion id, typed to go there. */
export function looksLikeCriterionId(text: string): boolean {
  return /^p?\s*\d{1,2}\.\d{1,2}\.\d{1,2}$/i.test(text.trim());
}

/**
 * Resolves a `goto` target as people type it: "câu 5" (the progress line's "Câu 5/43"), "trụ cột 2", a pillar,
 * indicator or criterion id with or without the P ("P2", "2.1", "P2.1.3", "2.1.3", "câu P2.1.3", "đến tiêu chí 2.1"),
 * case and diacritics ignored.
 * For a pillar or indicator, the first unanswered criterion in it, else its first. A bare number is a question
 * number when it is larger than the number of pillars, and ambiguous otherwise.
 */
export function resolveGotoTarget(definition: IndexDefinition, target: string, isAnswered: (criterionId: string) => boolean): GotoTarget {
  const all = criteriaOf(definition);
  const folded = foldText(target);
  const byQuestion = /^(?:cau|question|q|#)\s*(\d+)$/.exec(folded);
  if (byQuestion) {
    const entry = all[Number(byQuestion[1]) - 1];
    return entry ? { kind: "found", entry } : { kind: "unknown" };
  }
  const firstOf = (id: string): CriterionEntry | undefined => {
    const inside = all.filter((e) => e.pillar.id === id || e.indicator.id === id);
    return inside.find((e) => !isAnswered(e.criterion.id)) ?? inside[0];
  };
  const byPillar = /^(?:tru cot|pillar)\s*(\d+)$/.exec(folded);
  if (byPillar) return found(firstOf(`P${byPillar[1]}`));
  if (/^\d+$/.test(folded)) {
    const number = Number(folded);
    const pillar = firstOf(`P${number}`);
    const question = all[number - 1];
    if (pillar && question) return { kind: "ambiguous", number, question, pillar };
    return found(pillar ?? question);
  }
  // "câu P2.1.3", "(đến) tiêu chí 2.1.3": a word before the id, as people write the progress line's code.
  const id = CRITERION_ID.exec(folded.replace(/^(?:cau|tieu chi|criterion|question)\s+(?=p?\s*\d+\.\d)/, "").replace(/^p\s+/, "p"));
  const wanted = id ? `P${id[1]}` : folded.toUpperCase();
  const exact = all.find((e) => e.criterion.id === wanted);
  return found(exact ?? firstOf(wanted));
}

function found(entry: CriterionEntry | undefined): GotoTarget {
  return entry ? { kind: "found", entry } : { kind: "unknown" };
}

/** Like resolveGotoTarget, reading a bare number as a pillar (the long-standing "đến 2"). */
export function resolveGoto(definition: IndexDefinition, target: string, isAnswered: (criterionId: string) => boolean): CriterionEntry | undefined {
  const result = resolveGotoTarget(definition, target, isAnswered);
  return result.kind === "found" ? result.entry : result.kind === "ambiguous" ? result.pillar : undefined;
}
