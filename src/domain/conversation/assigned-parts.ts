import type { CriterionEntry } from "../questionnaire/definition-index.js";
import type { IndexDefinition } from "../questionnaire/definition-schema.js";
import type { SessionView } from "./context.js";
import { criteriaOf, nextUnanswered } from "./navigation.js";
import { foldText, lines, literal, t, type Text } from "./text.js";

/** Whether a criterion lies in one of the parts (a pillar, indicator or criterion id). */
export function inParts(entry: CriterionEntry, parts: readonly string[]): boolean {
  return parts.some((part) => part === entry.pillar.id || part === entry.indicator.id || part === entry.criterion.id);
}

/** The next criterion of `parts` still without an answer after `from` (wrapping), or undefined when the part is done. */
export function nextUnansweredIn(
  definition: IndexDefinition,
  isAnswered: (criterionId: string) => boolean,
  from: CriterionEntry | undefined,
  parts: readonly string[],
): CriterionEntry | undefined {
  const inside = new Set(criteriaOf(definition).filter((e) => inParts(e, parts)).map((e) => e.criterion.id));
  return nextUnanswered(definition, (id) => !inside.has(id) || isAnswered(id), from);
}

/** Where an answer takes a person: the next question, the end of their assigned part, or the end of everything. */
export type Walk =
  | { readonly kind: "ask"; readonly entry: CriterionEntry }
  | { readonly kind: "part-done"; readonly paragraphs: readonly Text[] }
  | { readonly kind: "all-done" };

/**
 * After an answer: a person with assigned parts goes on inside them first; the answer that completes them says so,
 * with what is left for the others, and stops there (the person may go on with "tiếp tục"). Without parts, the next
 * question nobody answered, as before.
 */
export function walkAfterAnswer(
  definition: IndexDefinition,
  isAnswered: (criterionId: string) => boolean,
  from: CriterionEntry,
  parts: readonly string[],
): Walk {
  if (parts.length > 0) {
    const inPart = nextUnansweredIn(definition, isAnswered, from, parts);
    if (inPart !== undefined) return { kind: "ask", entry: inPart };
    if (inParts(from, parts)) {
      const left = criteriaOf(definition).filter((e) => !isAnswered(e.criterion.id));
      if (left.length > 0) return { kind: "part-done", paragraphs: [t("team.walk.partDone", { parts: partsText(parts) }), remainingText(left)] };
    }
  }
  const next = nextUnanswered(definition, isAnswered, from);
  return next === undefined ? { kind: "all-done" } : { kind: "ask", entry: next };
}

/**
 * What "tiếp tục" asks: the current question while it is unanswered (in the person's part, when they have one), else the
 * part's next, else the next unanswered anywhere; the current one only when nothing is left.
 */
export function continueTarget(
  definition: IndexDefinition,
  isAnswered: (criterionId: string) => boolean,
  current: CriterionEntry | undefined,
  parts: readonly string[],
): CriterionEntry | undefined {
  if (parts.length === 0) return current !== undefined && !isAnswered(current.criterion.id) ? current : (nextUnanswered(definition, isAnswered, current) ?? current);
  if (current !== undefined && inParts(current, parts) && !isAnswered(current.criterion.id)) return current;
  const inPart = nextUnansweredIn(definition, isAnswered, current, parts);
  if (inPart !== undefined) return inPart;
  if (current !== undefined && !isAnswered(current.criterion.id)) return current;
  return nextUnanswered(definition, isAnswered, current) ?? current;
}

/** "Còn 12 câu cho những người khác: Trụ cột 1: 3 câu; Trụ cột 4: 9 câu." */
function remainingText(left: readonly CriterionEntry[]): Text {
  const byPillar = new Map<number, number>();
  for (const entry of left) byPillar.set(entry.pillarIndex + 1, (byPillar.get(entry.pillarIndex + 1) ?? 0) + 1);
  const pillars = [...byPillar].map(([pillar, count]) => t("team.walk.pillarCount", { pillar, count }));
  return lines([t("team.walk.remaining", { count: left.length }), ...pillars, t("team.walk.goOn")]);
}

/** Parts as people read them: "Trụ cột 3, P2.1" (pillars in words; indicators by the id shown with every question). */
export function partsText(parts: readonly string[]): Text {
  const pieces = parts.map((part) => (/^P\d+$/.test(part) ? t("team.part.pillar", { number: Number(part.slice(1)) }) : literal(part)));
  return commaList(pieces);
}

/** Texts joined with the locale's list separator, pairwise, since a message key has a fixed number of slots. */
export function commaList(pieces: readonly Text[]): Text {
  const [first, ...rest] = pieces;
  if (first === undefined) return literal("");
  return rest.reduce<Text>((joined, piece) => t("team.part.pair", { first: joined, second: piece }), first);
}

/** The outcome of reading the parts typed after "/assign <n>". */
export type PartsParse = { readonly ok: true; readonly parts: readonly string[] } | { readonly ok: false; readonly bad: string };

/**
 * Reads "trụ cột 3", "3", "P3", "p2.1", "chỉ số 2.1" (several, separated by spaces or commas) into pillar and
 * indicator ids of the definition, in the definition's order and without repeats. Without a definition (no period
 * yet) any well-formed id is kept.
 */
export function parseParts(text: string, definition: IndexDefinition | null): PartsParse {
  const folded = foldText(text).replace(/\b(tru cot|pillar|chi so|indicator)\s*(?=\d)/g, "p");
  const tokens = folded.split(/[\s,;]+/).filter((token) => token !== "" && token !== "va" && token !== "and");
  const known = definition === null ? null : knownParts(definition);
  const parts: string[] = [];
  for (const token of tokens) {
    const id = (/^\d+(\.\d+)?$/.test(token) ? `P${token}` : token).toUpperCase();
    const valid = known === null ? /^P\d+(\.\d+)?$/.test(id) : known.includes(id);
    if (!valid) return { ok: false, bad: token };
    if (!parts.includes(id)) parts.push(id);
  }
  if (parts.length === 0) return { ok: false, bad: "" };
  return { ok: true, parts: known === null ? parts : known.filter((id) => parts.includes(id)) };
}

function knownParts(definition: IndexDefinition): string[] {
  return definition.pillars.flatMap((pillar) => [pillar.id, ...pillar.indicators.map((indicator) => indicator.id)]);
}

/** How many questions each person answered in this assessment, most first: "who answered what" for a lead. */
export function answeredBy(session: SessionView): { readonly personId: string; readonly name: string; readonly count: number }[] {
  const counts = new Map<string, { personId: string; name: string; count: number }>();
  for (const answer of session.answers.values()) {
    if (answer.value === null) continue;
    const row = counts.get(answer.answeredById) ?? { personId: answer.answeredById, name: answer.answeredByName, count: 0 };
    row.count += 1;
    counts.set(answer.answeredById, row);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, "vi"));
}
