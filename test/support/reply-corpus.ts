import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { loadDefinitionFile, SHIPPED_DEFINITIONS_DIR } from "../../src/definitions/definition-files.js";
import type { AnswerView, SessionView, StepContext } from "../../src/domain/conversation/context.js";
import type { Effect } from "../../src/domain/conversation/effects.js";
import { initialState } from "../../src/domain/conversation/state.js";
import { step } from "../../src/domain/conversation/step.js";
import type { Text } from "../../src/domain/conversation/text.js";
import { foldText } from "../../src/domain/conversation/text.js";
import type { AnswerValue } from "../../src/domain/questionnaire/answer-value.js";
import { listCriteria, type CriterionEntry } from "../../src/domain/questionnaire/definition-index.js";
import type { IndexDefinition } from "../../src/domain/questionnaire/definition-schema.js";
import { formatProblem, validateDefinition } from "../../src/domain/questionnaire/validate-definition.js";
import { replyVocabulary } from "../../src/i18n/reply-vocabulary.js";

/**
 * The corpus of natural replies (test/fixtures/replies/, written apart from the reader; see its README) run through the
 * conversation engine exactly as a message would be: each reply is sent to a lead whose earlier questions are answered,
 * and what the engine did is compared with what a careful colleague would have understood.
 */
export const CORPUS_DIR = path.resolve(import.meta.dirname, "..", "fixtures", "replies");

const expectation = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("answer"), value: z.union([z.boolean(), z.string(), z.number(), z.array(z.string())]), note: z.string().optional() }),
  z.object({ kind: z.literal("move"), to: z.string() }),
  z.object({ kind: z.literal("skip") }),
  z.object({ kind: z.literal("command"), name: z.string() }),
  z.object({ kind: z.literal("clarify"), candidates: z.array(z.string()) }),
  z.object({ kind: z.literal("none") }),
]);
const corpusFile = z.object({ definition: z.string(), cases: z.array(z.object({ at: z.string(), reply: z.string(), expect: expectation })) });

export type Expectation = z.infer<typeof expectation>;
export interface CorpusCase {
  readonly file: string;
  readonly definition: IndexDefinition;
  readonly at: string;
  readonly reply: string;
  readonly expect: Expectation;
}

/** What the engine did with one reply, in the corpus's terms. */
export type Outcome =
  | { readonly kind: "answer"; readonly criterionId: string; readonly value: AnswerValue; readonly note?: string }
  | { readonly kind: "move"; readonly to: string }
  | { readonly kind: "skip" }
  | { readonly kind: "command"; readonly name: string }
  | { readonly kind: "clarify"; readonly candidates: readonly string[] }
  | { readonly kind: "none" };

export function loadCorpus(): CorpusCase[] {
  const definitions = new Map<string, IndexDefinition>();
  for (const file of readdirSync(SHIPPED_DEFINITIONS_DIR).filter((f) => f.endsWith(".json"))) {
    const definition = loadDefinitionFile(path.join(SHIPPED_DEFINITIONS_DIR, file));
    definitions.set(definition.id, definition);
  }
  const madeUp = validateDefinition(JSON.parse(readFileSync(path.join(CORPUS_DIR, "made-up-definition.json"), "utf8")) as unknown);
  if (!madeUp.ok) throw new Error(`made-up definition is invalid:\n${madeUp.problems.map(formatProblem).join("\n")}`);
  definitions.set(madeUp.definition.id, madeUp.definition);
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith(".json") && f !== "made-up-definition.json")
    .flatMap((file) => {
      const parsed = corpusFile.parse(JSON.parse(readFileSync(path.join(CORPUS_DIR, file), "utf8")));
      const definition = definitions.get(parsed.definition);
      if (definition === undefined) throw new Error(`${file}: unknown definition ${parsed.definition}`);
      return parsed.cases.map((c) => ({ file, definition, ...c }));
    });
}

const NOW = new Date("2024-11-05T03:00:00Z");
const LEAD = { id: "lead-1", name: "Lan", locale: null, role: "lead" as const, agencyName: "Báo Thử", provinceName: "Hà Nội" };

/** A plain value for an answered question: it only has to be valid. */
function someValue(entry: CriterionEntry): AnswerValue {
  const spec = entry.criterion.answer;
  switch (spec.type) {
    case "yesno":
      return true;
    case "choice":
      return spec.options[0]?.id ?? "";
    case "multi":
      return [];
    case "number":
      return spec.min;
  }
}

/** Sends the case's reply to a lead on `at`, every earlier question answered by the lead. */
export function runCase(c: CorpusCase): Outcome {
  const entries = listCriteria(c.definition);
  const index = entries.findIndex((e) => e.criterion.id === c.at);
  if (index < 0) throw new Error(`${c.file}: no question ${c.at}`);
  const answers = new Map<string, AnswerView>(
    entries.slice(0, index).map((e) => [e.criterion.id, { value: someValue(e), note: null, answeredById: LEAD.id, answeredByName: LEAD.name, answeredAt: NOW, evidenceCount: 0 }]),
  );
  const session: SessionView = {
    assessmentId: "a-1",
    periodName: "Kỳ 2024",
    entryOpens: new Date("2024-10-01T00:00:00Z"),
    entryCloses: new Date("2024-11-30T16:59:59Z"),
    status: "draft",
    submittedAt: null,
    submittedByName: null,
    definition: c.definition,
    answers,
  };
  const ctx: StepContext = { now: NOW, defaultLocale: "vi", vocabulary: replyVocabulary(), floodControl: false, person: LEAD, session };
  const state = { ...initialState(), assessmentId: "a-1", criterionId: c.at, seenAt: NOW.toISOString(), tips: ["howto.yesno", "howto.choice", "howto.multi", "howto.number", "evidence", "unofficial"] };
  const result = step(state, { kind: "text", text: c.reply }, ctx);
  return classify(result.effects, result.state.criterionId, c, entries);
}

function keysOf(text: Text): { key: string; vars?: Readonly<Record<string, unknown>> }[] {
  if (text.kind === "key") return [{ key: text.key, ...(text.vars === undefined ? {} : { vars: text.vars }) }];
  if (text.kind === "lines") return text.lines.flatMap(keysOf);
  return [];
}

const COMMAND_KEYS: readonly [string, string][] = [
  ["score.title", "score"],
  ["progress.title", "progress"],
  ["help.commands", "help"],
  ["review.title", "review"],
  ["results.plan.title", "plan"],
  ["submit.confirmTitle", "submit"],
  ["menu.title", "menu"],
];

function classify(effects: readonly Effect[], criterionId: string | undefined, c: CorpusCase, entries: readonly CriterionEntry[]): Outcome {
  const save = effects.find((e) => e.kind === "save-answer");
  const note = effects.find((e) => e.kind === "save-note");
  if (save?.kind === "save-answer") {
    return { kind: "answer", criterionId: save.criterionId, value: save.value, ...(note?.kind === "save-note" ? { note: note.note } : {}) };
  }
  const keys = effects.flatMap((e) => (e.kind === "reply" ? e.reply.paragraphs.flatMap(keysOf) : []));
  const ambiguous = keys.find((k) => k.key === "answer.ambiguousOption");
  if (ambiguous !== undefined) {
    const entry = entries.find((e) => e.criterion.id === c.at);
    const options = entry && (entry.criterion.answer.type === "choice" || entry.criterion.answer.type === "multi") ? entry.criterion.answer.options : [];
    const numbers = String(ambiguous.vars?.numbers ?? "").split(/,\s*/).map(Number);
    return { kind: "clarify", candidates: numbers.map((n) => options[n - 1]?.id ?? "?") };
  }
  if (keys.some((k) => k.key === "nav.skipped" || k.key === "nav.skippedKept")) return { kind: "skip" };
  const command = COMMAND_KEYS.find(([key]) => keys.some((k) => k.key === key));
  if (command !== undefined) return { kind: "command", name: command[1] };
  if (criterionId !== undefined && criterionId !== c.at) return { kind: "move", to: criterionId };
  return { kind: "none" };
}

/** Whether the engine did what the case expects. */
export function understood(c: CorpusCase, outcome: Outcome): boolean {
  const want = c.expect;
  switch (want.kind) {
    case "answer": {
      if (outcome.kind !== "answer" || outcome.criterionId !== c.at || !sameValue(outcome.value, want.value)) return false;
      return want.note === undefined || (outcome.note !== undefined && foldText(outcome.note).includes(foldText(want.note)));
    }
    case "move":
      return outcome.kind === "move" && outcome.to === want.to;
    case "skip":
      return outcome.kind === "skip";
    case "command":
      return outcome.kind === "command" && outcome.name === want.name;
    case "clarify":
      return outcome.kind === "clarify" && sameValue([...outcome.candidates], want.candidates);
    case "none":
      return outcome.kind === "none";
  }
}

/** An answer stored that the person did not mean: the one failure that is never acceptable. */
export function misread(c: CorpusCase, outcome: Outcome): boolean {
  if (outcome.kind !== "answer") return false;
  return c.expect.kind !== "answer" || outcome.criterionId !== c.at || !sameValue(outcome.value, c.expect.value);
}

function sameValue(a: AnswerValue, b: AnswerValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return isDeepStrictEqual([...a].sort(), [...b].sort());
  return isDeepStrictEqual(a, b);
}

export interface CorpusFigures {
  readonly cases: number;
  readonly understood: number;
  readonly misread: number;
  readonly share: number;
  readonly failures: readonly { readonly case: CorpusCase; readonly outcome: Outcome }[];
}

export function runCorpus(cases = loadCorpus()): CorpusFigures {
  const failures: { case: CorpusCase; outcome: Outcome }[] = [];
  let ok = 0;
  let wrong = 0;
  for (const c of cases) {
    const outcome = runCase(c);
    if (understood(c, outcome)) ok += 1;
    else failures.push({ case: c, outcome });
    if (misread(c, outcome)) wrong += 1;
  }
  return { cases: cases.length, understood: ok, misread: wrong, share: ok / cases.length, failures };
}
