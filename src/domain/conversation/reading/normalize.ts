import { foldText } from "../text.js";
import type { ReplyVocabulary } from "./vocabulary.js";

/** A reply as the reader compares it: folded words, shorthand spelled out, polite particles around it removed. */
export interface NormalizedReply {
  /** The words, folded, shorthand resolved, particles stripped ("Dạ, có ạ!" → ["co"]). */
  readonly words: readonly string[];
  /** The same words joined by single spaces. */
  readonly plain: string;
  /** The folded words as typed, before particles and shorthand were resolved. */
  readonly typed: readonly string[];
}

/** Folds and splits into words, keeping digits with their separators and "%" ("45,5%", "1-3"). */
export function foldedWords(text: string): string[] {
  return foldText(text.normalize("NFC"))
    .replace(/\b(\d{1,3})((?: \d{3})+)\b/g, (_, head: string, groups: string) => head + groups.replace(/ /g, ""))
    .replace(/(\d)(tr|trieu|ty|ti|nghin|ngan)\b/g, "$1 $2")
    .replace(/(\d)\s*%/g, "$1 %")
    .replace(/(\d)\s*[-–]\s*(\d)/g, "$1 - $2")
    .replace(/(^|\s)-(?=\d)/g, "$1minus")
    .replace(/[^a-z0-9%.,\-–\s]/g, " ")
    .replace(/minus(?=\d)/g, "-")
    .split(/\s+/)
    .map(trimSeparators)
    .filter(Boolean);
}

/** A word without dots and commas around it; a loop, since a regex over a run of dots backtracks quadratically. */
function trimSeparators(word: string): string {
  let start = 0;
  let end = word.length;
  while (start < end && (word[start] === "." || word[start] === ",")) start += 1;
  while (end > start && (word[end - 1] === "." || word[end - 1] === ",")) end -= 1;
  return word.slice(start, end);
}

/**
 * The reply with particles and shorthand resolved. "dạ" (polite) and "đã" (already) both fold to "da": only a word
 * typed without đ counts as a particle. A lone particle ("dạ", "vâng") is itself the reply, so stripping stops at one.
 */
export function normalizeReply(text: string, vocabulary: ReplyVocabulary): NormalizedReply {
  const original = text.normalize("NFC").trim().split(/\s+/);
  // "đã" (already) and "chỉ" (only) fold like the particles "dạ" and "chị": as typed, they are words.
  const typedWithD = new Set(original.filter((w) => /^[đĐ]|^chỉ$/iu.test(w)).map((w) => foldText(w)));
  const typed = foldedWords(text);
  const isLeading = (word: string): boolean => vocabulary.leadingParticles.has(word) && !typedWithD.has(word);
  // Indices, not copies: a message of thousands of particles costs one pass.
  let start = 0;
  while (typed.length - start > 1 && isLeading(typed[start] ?? "")) start += 1;
  const words = stripTrailing(typed.slice(start), vocabulary);
  const expanded = words.flatMap((w) => (vocabulary.shorthand.get(w) ?? w).split(" "));
  const whole = vocabulary.shorthand.get(words.join(" "));
  const result = rewrite(whole === undefined ? expanded : whole.split(" "), vocabulary);
  return { words: result, plain: result.join(" "), typed };
}

/** People's phrases in the words labels use ("3 thang 1 lan" → "moi quy mot lan"), longest first, each once. */
function rewrite(words: readonly string[], vocabulary: ReplyVocabulary): string[] {
  let text = ` ${words.join(" ")} `;
  for (const [from, to] of vocabulary.rewrites) {
    if (from !== to && text.includes(` ${from} `)) text = text.replace(` ${from} `, ` ${to} `);
  }
  return text.trim().split(" ").filter(Boolean);
}

/** A word as compared with labels: its synonym group's first word ("mỗi" and "hằng" compare equal). */
export function canonical(word: string, vocabulary: ReplyVocabulary): string {
  return vocabulary.synonyms.get(word) ?? word;
}

function stripTrailing(words: readonly string[], vocabulary: ReplyVocabulary): string[] {
  let end = words.length;
  for (let changed = true; changed && end > 1; ) {
    changed = false;
    for (const n of [2, 1]) {
      if (end > n && vocabulary.trailingParticles.has(words.slice(end - n, end).join(" "))) {
        end -= n;
        changed = true;
        break;
      }
    }
  }
  return words.slice(0, end);
}

/** Whether `phrase` (folded words) occurs in `words` as whole words. */
export function containsPhrase(words: readonly string[], phrase: string): boolean {
  return indexOfPhrase(words, phrase) >= 0;
}

export function indexOfPhrase(words: readonly string[], phrase: string): number {
  const parts = phrase.split(" ");
  outer: for (let i = 0; i + parts.length <= words.length; i += 1) {
    for (let j = 0; j < parts.length; j += 1) if (words[i + j] !== parts[j]) continue outer;
    return i;
  }
  return -1;
}

/** The words of a label or question as a set, for "every word of the reply is in the label". */
export function wordSet(text: string, vocabulary: ReplyVocabulary): Set<string> {
  return new Set(foldedWords(text).map((w) => canonical(w, vocabulary)));
}
