import { foldedWords } from "./normalize.js";
import type { ReplyVocabulary } from "./vocabulary.js";

/** A numeric interval read from an option's label: "Tăng từ 10% đến dưới 20%" → [10, 20). */
export interface Interval {
  readonly min: number;
  readonly minOpen: boolean;
  readonly max: number;
  readonly maxOpen: boolean;
  /** The label wrote its figures as percentages. */
  readonly percent: boolean;
}

const NUMBER = /^\d+(?:[.,]\d+)?$/;

function toNumber(word: string): number {
  return Number(word.replace(",", "."));
}

/**
 * The interval an option's label states, or null when it states none. Recognises the shapes labels are written in:
 * "dưới X", "không quá X", "trên X", "từ X trở lên", "X trở lên", "từ X đến (dưới) Y", "X–Y", "X hoặc Y", and a
 * decrease ("Giảm hoặc không tăng" → at most 0). Units after a figure scale it ("3 tỷ" → 3e9).
 */
export function labelInterval(label: string, vocabulary: ReplyVocabulary): Interval | null {
  const words = foldedWords(label).flatMap((w) => (/^\d+[.,]?\d*[-–]\d/.test(w) ? w.split(/([-–])/) : [w]));
  const figures: { value: number; at: number; factor: number }[] = [];
  let percent = false;
  for (const [i, word] of words.entries()) {
    if (!NUMBER.test(word)) continue;
    const next = words[i + 1] ?? "";
    const unit = vocabulary.units.get(`${next} ${words[i + 2] ?? ""}`) ?? vocabulary.units.get(next) ?? "";
    if (unit === "%") percent = true;
    const factor = unit.startsWith("e") ? 10 ** Number(unit.slice(1)) : 1;
    figures.push({ value: toNumber(word) * factor, at: i, factor });
  }
  // "2-3 tỷ": the unit after the second figure scales the first too.
  const [low, high] = figures;
  if (figures.length === 2 && low !== undefined && high !== undefined && low.factor === 1 && high.factor > 1 && high.at - low.at <= 2) {
    figures[0] = { ...low, value: low.value * high.factor, factor: high.factor };
  }
  const before = (at: number, kind: "below" | "atMost" | "above" | "from" | "to"): boolean =>
    (vocabulary.rangeWords.get(kind) ?? []).some((phrase) => {
      const parts = phrase.split(" ");
      // The word may sit right before the figure or one word earlier ("dưới 10%", "từ 10% đến dưới 20%").
      return [1, 2].some((gap) => parts.every((p, j) => words[at - gap - parts.length + 1 + j] === p) && (gap === 1 || !NUMBER.test(words[at - 1] ?? "")));
    });
  const orMore = (vocabulary.rangeWords.get("orMore") ?? []).some((phrase) => foldedWords(label).join(" ").includes(phrase));
  const decrease = (vocabulary.rangeWords.get("decrease") ?? []).some((phrase) => ` ${words.join(" ")} `.includes(` ${phrase} `));
  if (figures.length === 0) return decrease ? { min: -Infinity, minOpen: true, max: 0, maxOpen: false, percent } : null;
  const [first, second] = figures;
  if (first === undefined) return null;
  // "Tăng dưới 10%": an increase, so above 0.
  const increase = !decrease && (vocabulary.rangeWords.get("increase") ?? []).some((phrase) => words[0] === phrase);
  if (increase && figures.length === 1 && before(first.at, "below")) return { min: 0, minOpen: true, max: first.value, maxOpen: true, percent };
  if (figures.length === 1) {
    const x = first.value;
    if (before(first.at, "below")) return { min: -Infinity, minOpen: true, max: x, maxOpen: true, percent };
    if (before(first.at, "atMost")) return { min: -Infinity, minOpen: true, max: x, maxOpen: false, percent };
    if (orMore || before(first.at, "from")) return { min: x, minOpen: false, max: Infinity, maxOpen: true, percent };
    if (before(first.at, "above")) return { min: x, minOpen: true, max: Infinity, maxOpen: true, percent };
    return { min: x, minOpen: false, max: x, maxOpen: false, percent };
  }
  if (figures.length === 2 && second !== undefined && first.value <= second.value) {
    return { min: first.value, minOpen: before(first.at, "above"), max: second.value, maxOpen: before(second.at, "below"), percent };
  }
  return null;
}

export function contains(interval: Interval, value: number): boolean {
  const aboveMin = interval.minOpen ? value > interval.min : value >= interval.min;
  const belowMax = interval.maxOpen ? value < interval.max : value <= interval.max;
  return aboveMin && belowMax;
}
