import type { ChoiceOption } from "../../questionnaire/definition-schema.js";
import { foldText } from "../text.js";
import { readFigure, withoutFillers } from "./figures.js";
import { contains, labelInterval } from "./intervals.js";
import { containsPhrase, foldedWords, type NormalizedReply, wordSet } from "./normalize.js";
import type { ReplyVocabulary } from "./vocabulary.js";

/**
 * The options a reply may name, best reading first:
 * 1. the option's id ("b") or its label typed in full, in either language;
 * 2. its number, bare or after an ordinal word ("2", "số 3", "phương án hai", "đáp án 3 ạ");
 * 3. a figure that falls in the interval the label states ("tăng 15%" → "Tăng từ 10% đến dưới 20%");
 * 4. a keyword of the option found in the reply ("lượt view" → "Chỉ theo dõi lượt xem cơ bản");
 * 5. every meaningful word of the reply found in the label or keywords, negations agreeing ("đám mây", "kiêm nhiệm").
 * Several options mean the reply is ambiguous: the caller asks, never guesses.
 */
export function optionCandidates(options: readonly ChoiceOption[], raw: string, reply: NormalizedReply, vocabulary: ReplyVocabulary): ChoiceOption[] {
  const typed = foldText(raw);
  const byId = options.filter((o) => o.id.toLowerCase() === typed);
  if (byId.length === 1) return byId;
  const exact = options.filter((o) => [o.label.vi, o.label.en].some((label) => label.trim() !== "" && [typed, reply.plain].includes(foldText(label))));
  if (exact.length > 0) return exact;
  const ordinal = ordinalOf(reply.words, vocabulary);
  if (ordinal !== null) {
    const byNumber = options[ordinal - 1];
    if (byNumber !== undefined) return [byNumber];
  }
  const byInterval = intervalCandidates(options, reply, vocabulary);
  if (byInterval !== null) return byInterval;
  const byKeyword = options.filter((o) => (o.keywords ?? []).some((k) => containsPhrase(reply.words, foldedWords(k).join(" "))));
  if (byKeyword.length > 0) return byKeyword;
  return wordCandidates(options, reply, vocabulary);
}

/** "2", "số 3", "phương án hai", "thứ 2": the option's number; null when the reply is not just that. */
export function ordinalOf(words: readonly string[], vocabulary: ReplyVocabulary): number | null {
  const last = words.at(-1) ?? "";
  const number = /^\d+$/.test(last) ? Number(last) : (vocabulary.numberWords.get(last) ?? null);
  if (number === null) return null;
  const head = words.slice(0, -1).join(" ");
  if (head === "") return /^\d+$/.test(last) ? number : null;
  return vocabulary.ordinalPrefixes.includes(head) ? number : null;
}

/**
 * Options whose label interval holds the figure typed. Only when the labels state intervals and the reply is a
 * figure with its context (a unit, a verb) or a figure that cannot be an option's number; null when not such a reply.
 */
function intervalCandidates(options: readonly ChoiceOption[], reply: NormalizedReply, vocabulary: ReplyVocabulary): ChoiceOption[] | null {
  const intervals = options.map((o) => labelInterval(o.label.vi, vocabulary) ?? (o.label.en ? labelInterval(o.label.en, vocabulary) : null));
  if (intervals.filter((i) => i !== null).length < 2) return null;
  const figure = readFigure(reply.words, vocabulary);
  if (figure === null) return null;
  const bare = figure.rest.length === 0 && figure.unit === "" && !figure.approximate;
  if (bare && figure.value >= 1 && figure.value <= options.length && Number.isInteger(figure.value)) return null;
  const decrease = (vocabulary.rangeWords.get("decrease") ?? []).some((p) => containsPhrase(figure.rest, p));
  const value = decrease ? -Math.abs(figure.value) : figure.value;
  // The other words must belong to the figure's context or to the label itself ("cấp độ 4", "tăng 15%").
  const labelWords = new Set(options.flatMap((o) => [...wordSet(o.label.vi, vocabulary), ...wordSet(o.label.en, vocabulary)]));
  const stray = withoutFillers(figure.rest, vocabulary).filter((w) => !labelWords.has(w));
  if (stray.length > 0) return null;
  return options.filter((_, i) => {
    const interval = intervals[i];
    return interval !== null && interval !== undefined && contains(interval, value);
  });
}

/** Options holding every meaningful word of the reply, with negation agreeing ("có" never names “Chưa có”). */
function wordCandidates(options: readonly ChoiceOption[], reply: NormalizedReply, vocabulary: ReplyVocabulary): ChoiceOption[] {
  const content = reply.words.filter((w) => !vocabulary.stopwords.has(w) && !/^[.,%-]+$/.test(w));
  if (content.length === 0) return [];
  // One or two letters name nothing reliably ("a", "k"), unless they are a word of a label like "AI".
  if (content.join("").length < 2) return [];
  const negated = content.some((w) => vocabulary.negations.has(w));
  return options.filter((o) => {
    const words = new Set([...wordSet(o.label.vi, vocabulary), ...wordSet(o.label.en, vocabulary), ...(o.keywords ?? []).flatMap((k) => [...wordSet(k, vocabulary)])]);
    if (!content.every((w) => words.has(w))) return false;
    const leadsWithNegation = vocabulary.negations.has(foldedWords(o.label.vi)[0] ?? "");
    const hasNegation = [...words].some((w) => vocabulary.negations.has(w));
    if (leadsWithNegation && !negated) return false;
    if (negated && !hasNegation) return false;
    return true;
  });
}
