import { parseNumberInput } from "../number-input.js";
import { containsPhrase } from "./normalize.js";
import type { ReplyVocabulary } from "./vocabulary.js";

/** A figure found in a reply: its value in the unit's base (đồng, percent points, a count) and what else was typed. */
export interface Figure {
  readonly value: number;
  /** "%" when typed as a percentage, otherwise the scale word's exponent ("e9") or "". */
  readonly unit: string;
  /** The reply's other words, fillers and hedges removed. */
  readonly rest: readonly string[];
  /** The figure was hedged ("khoảng", "tầm"): still one figure. */
  readonly approximate: boolean;
}

const NUMBER = /^-?\d[\d.,]*$/;

/**
 * The one figure in a reply, as officials type it in a sentence: "đạt 70%", "được 60% ạ", "tầm 45 phần trăm",
 * "khoảng 2 tỷ", "1,5 tỷ đồng". Null when there is none, or more than one ("50-60"), or it is not exact ("hơn 60").
 */
export function readFigure(words: readonly string[], vocabulary: ReplyVocabulary, unit: "percent" | "count" | "vnd" = "count"): Figure | null {
  let rest = [...words];
  const numbers = rest.map((w, i) => (NUMBER.test(w) ? i : -1)).filter((i) => i >= 0);
  // "1 tỷ 2": the second figure belongs to the first.
  const spoken = numbers.length === 2 && numbers[1] === rest.length - 1 && numbers[1] === (numbers[0] ?? 0) + 2 && vocabulary.units.get(rest[(numbers[0] ?? 0) + 1] ?? "")?.startsWith("e");
  if (numbers.length !== 1 && !spoken) return null;
  if (vocabulary.notExact.some((p) => containsPhrase(rest, p))) return null;
  if (rest.includes("-") || rest.includes("–")) return null;
  const at = numbers[0] ?? 0;
  const parsed = parseNumberInput(rest[at] ?? "", unit);
  if (!parsed.ok) return null;
  // The unit right after the number, longest first ("ty dong" before "ty").
  let scale = "";
  let taken = 1;
  for (const n of [2, 1]) {
    const phrase = rest.slice(at + 1, at + 1 + n).join(" ");
    const found = vocabulary.units.get(phrase);
    if (rest.length > at + n && found !== undefined) {
      scale = found;
      taken = 1 + n;
      break;
    }
  }
  const factor = scale.startsWith("e") ? 10 ** Number(scale.slice(1)) : 1;
  // "2 tỷ rưỡi" (and a half), "1 tỷ 2" (and two tenths): how amounts are said aloud.
  let extra = 0;
  const after = rest[at + taken];
  if (factor > 1 && after === "ruoi") {
    extra = factor / 2;
    taken += 1;
  } else if (factor >= 1e6 && after !== undefined && /^\d{1,3}$/.test(after) && at + taken === rest.length - 1) {
    extra = (Number(after) * factor) / 10 ** after.length;
    taken += 1;
  }
  rest.splice(at, taken);
  let approximate = false;
  for (const phrase of vocabulary.approximately) {
    if (containsPhrase(rest, phrase)) {
      approximate = true;
      rest = removePhrase(rest, phrase);
    }
  }
  return { value: parsed.value * factor + extra, unit: scale, rest, approximate };
}

/** The words without one occurrence of `phrase`. */
export function removePhrase(words: readonly string[], phrase: string): string[] {
  const parts = phrase.split(" ");
  for (let i = 0; i + parts.length <= words.length; i += 1) {
    if (parts.every((p, j) => words[i + j] === p)) return [...words.slice(0, i), ...words.slice(i + parts.length)];
  }
  return [...words];
}

/** The words without any filler phrase ("đạt", "được", "tăng", "so với kỳ trước"). */
export function withoutFillers(words: readonly string[], vocabulary: ReplyVocabulary): string[] {
  let rest = [...words];
  for (const phrase of vocabulary.figureFillers) {
    while (containsPhrase(rest, phrase)) rest = removePhrase(rest, phrase);
  }
  return rest.filter((w) => !vocabulary.stopwords.has(w));
}
