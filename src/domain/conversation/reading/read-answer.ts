import type { AnswerValue } from "../../questionnaire/answer-value.js";
import type { Criterion } from "../../questionnaire/definition-schema.js";
import { t, type Text } from "../text.js";
import { parseNumberInput } from "../number-input.js";
import { readFigure, withoutFillers } from "./figures.js";
import { containsPhrase, foldedWords, normalizeReply, wordSet, type NormalizedReply } from "./normalize.js";
import { optionCandidates, optionsHolding } from "./options.js";
import type { ReplyVocabulary } from "./vocabulary.js";
import { readYesNo } from "./yes-no.js";

/** What a typed reply says about the question showing. */
export type AnswerReading =
  | { readonly kind: "answer"; readonly value: AnswerValue; readonly note?: string }
  /** More than one option fits: ask which (option ids), store nothing. */
  | { readonly kind: "clarify"; readonly candidates: readonly string[] }
  /** "không biết", "có lẽ": never an answer. */
  | { readonly kind: "hedge" }
  | { readonly kind: "invalid"; readonly error: Text };

/**
 * Reads a reply to a yes/no, one-choice or number question. A reply that fits once is the answer; an answer followed by
 * a remark ("Có (ban hành năm 2023)", "có, từ năm 2023") keeps the remark as the note; a hedge is never an answer.
 */
export function readAnswer(criterion: Criterion, text: string, vocabulary: ReplyVocabulary): AnswerReading {
  const reply = normalizeReply(text, vocabulary);
  const questionText = `${criterion.question.vi} ${criterion.question.en}`;
  const questionWords = wordSet(questionText, vocabulary);
  if (isHedge(reply, questionText, vocabulary)) return { kind: "hedge" };
  // Labels may hold a comma ("Đã ban hành, chưa giao việc"): a choice is read whole first; a yes/no or a figure is
  // read as the answer and its remark first, so the remark is kept.
  const whole = (): AnswerReading => readValue(criterion, text, reply, questionWords, vocabulary);
  const first = criterion.answer.type === "choice" ? whole() : null;
  if (first !== null && first.kind !== "invalid") return first;
  const split = splitRemark(text);
  if (split !== null) {
    const reading = readValue(criterion, split.head, normalizeReply(split.head, vocabulary), questionWords, vocabulary);
    if (reading.kind === "answer") return { ...reading, note: split.remark };
  }
  return first ?? whole();
}

/** A hedge anywhere in the reply, unless the question itself says those words ("có thể tự sản xuất"). */
export function isHedge(reply: NormalizedReply, questionText: string, vocabulary: ReplyVocabulary): boolean {
  const question = foldedWords(questionText);
  // Read before particles are stripped: "có thể" must not lose "thể" as if it were the particle "thế".
  const words = [...reply.typed, ...reply.words];
  return vocabulary.hedges.some((phrase) => containsPhrase(words, phrase) && !containsPhrase(question, phrase));
}

/** "Có (ban hành năm 2023)", "Có - năm 2023", "có, ban hành từ 2023": the answer and the remark after it. */
export function splitRemark(text: string): { head: string; remark: string } | null {
  const trimmed = text.trim();
  const bracket = /^([^()]{1,40}?)\s*\(([^()]+)\)\s*[.!]*$/u.exec(trimmed);
  if (bracket?.[1] && bracket[2]?.trim()) return { head: bracket[1], remark: bracket[2].trim() };
  // The separator is followed by a space, so "100,5" stays one figure.
  const separated = /^([^,;:\-–—]{1,30}?)\s*(?:[,;:]|\s[-–—])\s+(.+)$/u.exec(trimmed);
  if (separated?.[1] && separated[2]?.trim()) return { head: separated[1], remark: separated[2].trim() };
  return null;
}

function readValue(criterion: Criterion, raw: string, reply: NormalizedReply, questionWords: ReadonlySet<string>, vocabulary: ReplyVocabulary): AnswerReading {
  const spec = criterion.answer;
  switch (spec.type) {
    case "yesno": {
      const yes = readYesNo(reply, questionWords, vocabulary, foldedWords(`${criterion.question.vi}`));
      return yes === null ? { kind: "invalid", error: t("answer.invalidYesNo") } : { kind: "answer", value: yes };
    }
    case "choice": {
      const zero = nothingOf(reply, questionWords, vocabulary) ? optionsHolding(spec.options, 0, vocabulary) : [];
      const found = zero.length > 0 ? zero : optionCandidates(spec.options, raw, reply, vocabulary, questionWords);
      const [only] = found;
      if (found.length === 1 && only) return { kind: "answer", value: only.id };
      if (found.length > 1) return { kind: "clarify", candidates: found.map((o) => o.id) };
      return { kind: "invalid", error: t("answer.invalidChoice", { count: spec.options.length }) };
    }
    case "multi":
      return { kind: "invalid", error: t("answer.invalidMulti", { count: spec.options.length }) };
    case "number":
      return readNumber(spec, raw, reply, questionWords, vocabulary);
  }
}

type NumberSpec = Extract<Criterion["answer"], { type: "number" }>;

/** "chưa có bài nào", "chưa số hóa gì": a negation and only the question's own words: none, so 0. */
function nothingOf(reply: NormalizedReply, questionWords: ReadonlySet<string>, vocabulary: ReplyVocabulary): boolean {
  const [first, ...rest] = reply.words;
  if (first === undefined || !vocabulary.negations.has(first) || rest.length === 0) return false;
  return rest.every((w) => questionWords.has(w) || vocabulary.noneTail.has(w) || vocabulary.stopwords.has(w) || w === "co");
}

function readNumber(spec: NumberSpec, raw: string, reply: NormalizedReply, questionWords: ReadonlySet<string>, vocabulary: ReplyVocabulary): AnswerReading {
  const notANumber: AnswerReading = { kind: "invalid", error: t(`answer.notANumber.${spec.unit}`) };
  let value: number;
  // A bare figure is read exactly as typed: "45," may be a cut-off "45,5", never 45.
  const bare = /^[-+]?[\d.,\s]+%?$/.test(raw.trim());
  if (bare) {
    const parsed = parseNumberInput(raw, spec.unit);
    if (!parsed.ok) return notANumber;
    value = parsed.value;
  } else if (spec.unit === "percent" && vocabulary.everybody.has(reply.plain)) value = 100;
  else if (vocabulary.nobody.has(reply.plain) || nothingOf(reply, questionWords, vocabulary)) value = 0;
  else {
    const figure = readFigure(reply.words, vocabulary, spec.unit);
    if (figure === null) return notANumber;
    // A figure in a sentence: the other words must be context ("đạt", "được", "khoảng"), not another statement.
    const stray = withoutFillers(figure.rest, vocabulary).filter((w) => !vocabulary.countNouns.has(w) && !questionWords.has(w));
    if (stray.length > 0) return notANumber;
    if (spec.unit !== "vnd" && figure.unit !== "" && figure.unit !== "%") return notANumber;
    if (spec.unit !== "percent" && figure.unit === "%") return notANumber;
    value = figure.value;
  }
  if (value < spec.min) return { kind: "invalid", error: t(`answer.belowMin.${spec.unit}`, { min: spec.min }) };
  if (spec.max !== undefined && value > spec.max) return { kind: "invalid", error: t(`answer.aboveMax.${spec.unit}`, { max: spec.max }) };
  return { kind: "answer", value };
}

