import type { ChoiceOption } from "../../questionnaire/definition-schema.js";
import { foldText } from "../text.js";
import { withoutFillers } from "./figures.js";
import { contains, labelInterval, type Interval } from "./intervals.js";
import { canonical, containsPhrase, foldedWords, type NormalizedReply, wordSet } from "./normalize.js";
import type { ReplyVocabulary } from "./vocabulary.js";

/**
 * The options a reply may name, best reading first:
 * 1. the option's id ("b") or its label typed in full, in either language;
 * 2. its number, bare or after an ordinal word ("2", "số 3", "phương án hai", "đáp án 3 ạ");
 * 3. a figure or range that falls in the interval the label states ("tăng 15%" → "Tăng từ 10% đến dưới 20%");
 * 4. a keyword of the option found in the reply ("lượt view" → "Chỉ theo dõi lượt xem cơ bản");
 * 5. every meaningful word of the reply found in the label or keywords, negations agreeing ("đám mây", "kiêm nhiệm");
 * 6. failing that, one option sharing clearly more of the reply's words than any other.
 * Several options mean the reply is ambiguous: the caller asks, never guesses.
 */
export function optionCandidates(
  options: readonly ChoiceOption[],
  raw: string,
  reply: NormalizedReply,
  vocabulary: ReplyVocabulary,
  questionWords: ReadonlySet<string> = new Set(),
): ChoiceOption[] {
  const typed = foldText(raw);
  const byId = options.filter((o) => o.id.toLowerCase() === typed);
  if (byId.length === 1) return byId;
  const exact = options.filter((o) => [o.label.vi, o.label.en].some((label) => label.trim() !== "" && [typed, reply.plain].includes(foldText(label))));
  if (exact.length > 0) return exact;
  const intervals = options.map((o) => labelInterval(o.label.vi, vocabulary) ?? (o.label.en ? labelInterval(o.label.en, vocabulary) : null));
  const ordinal = ordinalOf(reply.words, vocabulary);
  if (ordinal !== null) {
    const byNumber = options[ordinal - 1];
    if (byNumber === undefined) return [];
    // "2" where the labels count people ("Dưới 5 người"): the option's number, or two people? Ask.
    const bare = /^\d+$/.test(reply.plain);
    const counted = bare && intervals.some((i) => i !== null) && !intervals.some((i) => i?.percent === true) ? options.filter((_, i) => intervals[i] && contains(intervals[i], ordinal)) : [];
    if (counted.length === 1 && counted[0] !== byNumber) return [byNumber, ...counted];
    return [byNumber];
  }
  const byInterval = intervalCandidates(options, intervals, reply, vocabulary, questionWords);
  if (byInterval !== null) return byInterval;
  const byDegree = degreeCandidates(options, reply, vocabulary);
  if (byDegree !== null) return byDegree;
  const byKeyword = options.filter((o) => (o.keywords ?? []).some((k) => containsPhrase(reply.words, foldedWords(k).join(" "))));
  if (byKeyword.length > 0) return byKeyword;
  return wordCandidates(options, reply, vocabulary, questionWords);
}

/** Options whose stated interval holds `value` ("chưa có ai" → 0 → “Dưới 5 người”). */
export function optionsHolding(options: readonly ChoiceOption[], value: number, vocabulary: ReplyVocabulary): ChoiceOption[] {
  return options.filter((o) => {
    const interval = labelInterval(o.label.vi, vocabulary);
    return interval !== null && contains(interval, value);
  });
}

/**
 * A percentage typed for options that say how far something went: 0 → the option led by a negation ("Chưa chuyển
 * đổi"), 100 → the full one ("Toàn bộ"), anything between → the partial one ("Một phần"). Null when not such a reply.
 */
function degreeCandidates(options: readonly ChoiceOption[], reply: NormalizedReply, vocabulary: ReplyVocabulary): ChoiceOption[] | null {
  const percent = /^(\d+(?:[.,]\d+)?) %$/.exec(withoutFillers(reply.words, vocabulary).filter((w) => !vocabulary.approximately.includes(w)).join(" "));
  if (percent === null) return null;
  const value = Number((percent[1] ?? "").replace(",", "."));
  const has = (o: ChoiceOption, phrases: readonly string[]): boolean => phrases.some((p) => containsPhrase(foldedWords(o.label.vi), p));
  const full = options.filter((o) => has(o, vocabulary.degree.full));
  const partial = options.filter((o) => has(o, vocabulary.degree.partial));
  const none = options.filter((o) => vocabulary.negations.has(foldedWords(o.label.vi)[0] ?? ""));
  if (full.length !== 1 || partial.length !== 1) return null;
  if (value <= 0) return none.length === 1 ? none : null;
  return value >= 100 ? full : value > 0 && value < 100 ? partial : null;
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
 * Options whose label interval holds what was typed: a figure ("15%", "tầm 6 người", "gần 1 tỷ") or a range ("3 đến 5
 * lần", "hơn 3 tỷ", "tầm 2-3 tỷ"). Only when the labels state intervals and the reply's other words are context;
 * null when the reply is not such a figure. A range across two options names both (to ask).
 */
function intervalCandidates(
  options: readonly ChoiceOption[],
  intervals: readonly (Interval | null)[],
  reply: NormalizedReply,
  vocabulary: ReplyVocabulary,
  questionWords: ReadonlySet<string>,
): ChoiceOption[] | null {
  if (intervals.filter((i) => i !== null).length < 2) return null;
  if (!reply.words.some((w) => /^\d/.test(w))) return null;
  const almost = vocabulary.almost.some((p) => containsPhrase(reply.words, p));
  const decrease = (vocabulary.rangeWords.get("decrease") ?? []).some((p) => containsPhrase(reply.words, p));
  const typed = labelInterval(reply.plain, vocabulary);
  if (typed === null) return null;
  const labelWords = new Set(options.flatMap((o) => [...wordSet(o.label.vi, vocabulary), ...wordSet(o.label.en, vocabulary)]));
  const context = new Set([...vocabulary.units.keys(), ...[...vocabulary.rangeWords.values()].flat(), ...vocabulary.approximately, ...vocabulary.almost].flatMap((p) => p.split(" ")));
  const stray = withoutFillers(reply.words, vocabulary).filter((w) => !/^[\d.,%-]+$/.test(w) && !labelWords.has(canonical(w, vocabulary)) && !context.has(w) && !questionWords.has(w));
  if (stray.length > 0) return null;
  let range = typed;
  if (decrease && range.min === range.max) range = { ...range, min: -Math.abs(range.min), max: -Math.abs(range.max) };
  if (almost && range.min === range.max) range = { ...range, min: range.max * 0.999, max: range.max * 0.999 };
  const within = options.filter((_, i) => {
    const interval = intervals[i];
    return interval !== null && interval !== undefined && containsRange(interval, range);
  });
  if (within.length > 0) return within;
  return options.filter((_, i) => {
    const interval = intervals[i];
    return interval !== null && interval !== undefined && overlaps(interval, range);
  });
}

function containsRange(outer: Interval, inner: Interval): boolean {
  const lowOk = inner.min === -Infinity ? outer.min === -Infinity : contains(outer, inner.min) || (inner.minOpen && inner.min === outer.min);
  const highOk = inner.max === Infinity ? outer.max === Infinity : contains(outer, inner.max) || (inner.maxOpen && inner.max === outer.max);
  return lowOk && highOk;
}

function overlaps(a: Interval, b: Interval): boolean {
  return a.min <= b.max && b.min <= a.max;
}

/**
 * Options holding every meaningful word of the reply, with negation agreeing ("có" never names “Chưa có”); a reply
 * that leads with a negation prefers the options that do. Failing that, the one option that shares clearly more
 * words than any other (at least three, and two more than the next).
 */
function wordCandidates(options: readonly ChoiceOption[], reply: NormalizedReply, vocabulary: ReplyVocabulary, questionWords: ReadonlySet<string>): ChoiceOption[] {
  const meaningful = reply.words.filter((w) => !vocabulary.stopwords.has(w) && !/^[.,%-]+$/.test(w)).map((w) => canonical(w, vocabulary));
  const labelSets = options.map((o) => new Set([...wordSet(o.label.vi, vocabulary), ...wordSet(o.label.en, vocabulary), ...(o.keywords ?? []).flatMap((k) => [...wordSet(k, vocabulary)])]));
  const negated = meaningful.some((w) => vocabulary.negations.has(w));
  const leadsNegated = vocabulary.negations.has(meaningful[0] ?? "");
  const score = (content: readonly string[]) =>
    options.map((o, i) => {
      const words = labelSets[i] ?? new Set<string>();
      const label = foldedWords(o.label.vi);
      const leads = vocabulary.negations.has(label[0] ?? "");
      const hasNegation = [...words].some((w) => vocabulary.negations.has(w));
      // "Giảm hoặc không tăng" is no answer to "tăng": the word the reply says is negated in the label.
      const deniesReply = !negated && content.some((w) => label.some((l, j) => l === w && vocabulary.negations.has(label[j - 1] ?? "")));
      const polarityOk = !(leads && !negated) && !(negated && !hasNegation) && !deniesReply;
      return { option: o, all: content.every((w) => words.has(w)), matched: content.filter((w) => words.has(w)).length, leads, polarityOk };
    });
  const fitting = (content: readonly string[]): ChoiceOption[] => {
    if (content.length === 0 || content.join("").length < 2) return [];
    let fits = score(content).filter((s) => s.all && s.polarityOk);
    if (leadsNegated && fits.some((s) => s.leads)) fits = fits.filter((s) => s.leads);
    return fits.map((s) => s.option);
  };
  const whole = fitting(meaningful);
  if (whole.length > 0) return whole;
  const affirmative = meaningful.length > 0 && !negated && meaningful.every((w) => questionWords.has(w) || vocabulary.yesMarkers.includes(w));
  if (affirmative) {
    // "có rồi", "có khảo sát", "chuyển rồi", "đã ban hành": a yes to a question whose options are kinds of yes.
    const positive = options.filter((o) => !vocabulary.negations.has(foldedWords(o.label.vi)[0] ?? ""));
    const saysHave = positive.filter((o) => foldedWords(o.label.vi)[0] === "co");
    return saysHave.length > 0 ? saysHave : positive;
  }
  // Words the question already says ("tháng nào cũng khảo sát" on “Hằng tháng”) tell nothing about the choice.
  const beyondQuestion = meaningful.filter((w) => !questionWords.has(w) && !(negated && vocabulary.noneTail.has(w)));
  const keyed = beyondQuestion.length < meaningful.length ? fitting(beyondQuestion.length > 0 ? beyondQuestion : meaningful.filter((w) => vocabulary.negations.has(w))) : [];
  if (keyed.length > 0) return keyed;
  const content = meaningful;
  const scored = score(content);
  const ranked = scored.filter((s) => s.polarityOk).sort((a, b) => b.matched - a.matched);
  const [best, next] = ranked;
  if (best === undefined || best.matched < 3 || best.matched * 2 < content.length) return [];
  return next === undefined || best.matched - next.matched >= 2 ? [best.option] : [];
}
