import { foldText } from "./text.js";

/**
 * How officials actually type in a chat: polite particles around the answer ("dạ có ạ", "không nhé"), shorthand
 * ("ko", "k", "đc") and affirmations ("vâng", "ừ"). Input vocabulary, not output text, so it lives here rather than
 * in the locale files. Folded, "dạ" (polite) and "đã" (already) are both "da": only the one without đ is a particle.
 */
const LEADING_PARTICLES = new Set(["da", "vang", "thua", "xin", "em", "e"]);
const TRAILING_PARTICLES = new Set(["a", "nhe", "nha", "nhen", "ne", "oi", "ah", "anh", "chi", "em", "nhi", "luon", "please"]);

/** Shorthand read as the word it stands for. */
const SHORTHAND: Readonly<Record<string, string>> = {
  ko: "khong", k: "khong", kg: "khong", khg: "khong", hong: "khong", hok: "khong", hem: "khong", "k co": "khong co", "ko co": "khong co",
  dc: "duoc", "duoc a": "duoc", "co'": "co", coa: "co",
};

const YES_WORDS = new Set(["co", "yes", "y", "dung", "da co", "roi", "co roi", "da", "duoc", "ok", "okay", "vang", "u", "uh", "um", "uhm", "dong y", "chinh xac", "true"]);
const NO_WORDS = new Set(["khong", "no", "n", "chua", "chua co", "khong co", "khong a", "false", "nope", "chua a"]);

/**
 * The folded text with polite particles and shorthand resolved: "Dạ, có ạ!" → "co", "ko co" → "khong co",
 * "không nhé" → "khong". Leaves anything else as folded.
 */
export function plainReply(input: string): string {
  const words = input.trim().replace(/[,!.…?]+/g, " ").split(/\s+/).filter(Boolean);
  const leading = (word: string): boolean => LEADING_PARTICLES.has(foldText(word)) && !/^[đĐ]/.test(word);
  // A lone particle ("dạ", "vâng") is itself the reply, so stripping stops at one word. Indices, not slices: a
  // message of thousands of particles must cost one pass, not one copy per word.
  let start = 0;
  let end = words.length;
  while (end - start > 1 && leading(words[start] ?? "")) start += 1;
  while (end - start > 1 && TRAILING_PARTICLES.has(foldText(words[end - 1] ?? ""))) end -= 1;
  const joined = foldText(words.slice(start, end).join(" "));
  if (SHORTHAND[joined] !== undefined) return SHORTHAND[joined];
  return joined.split(" ").map((w) => SHORTHAND[w] ?? w).join(" ");
}

/** "có", "có ạ", "dạ vâng", "đc", "khong co", "ko": true or false; null when the text is not a plain yes or no. */
export function readYesNo(input: string): boolean | null {
  const plain = plainReply(input);
  if (YES_WORDS.has(plain)) return true;
  if (NO_WORDS.has(plain)) return false;
  return null;
}

/** Words that mean "none of them" on a several-choice question. */
const NONE_WORDS = new Set(["0", "khong", "khong co", "none", "nothing", "khong chon", "khong co gi", "chua co", "chua", "khong ap dung"]);

export function meansNone(input: string): boolean {
  return NONE_WORDS.has(plainReply(input));
}

/** Hedges people put before a figure: "khoảng 80", "tầm 1.000", "about 45%". */
const APPROXIMATELY = /^(khoang|tam|chung|xap xi|about|around|approx\.?|approximately|~)\s*/;
/** Units people put after a figure, as folded text. */
const UNIT_WORDS = /\s*(phan tram|percent|nguoi|tin|bai|tin bai)$/;
const MULTIPLIERS: Readonly<Record<string, number>> = { nghin: 1e3, ngan: 1e3, trieu: 1e6, ty: 1e9 };

/**
 * A number as people type it in a sentence: the hedge and unit words removed ("khoảng 80 phần trăm" → "80"), and a
 * spelled multiplier applied to amounts ("500 triệu" → 500000000). Returns the figure text for parseNumberInput,
 * plus the multiplier to apply.
 */
export function figureText(input: string): { text: string; multiplier: number } {
  const original = input.trim();
  const folded = foldText(original);
  let rest = folded.replace(APPROXIMATELY, "").replace(UNIT_WORDS, "");
  const multiplierMatch = /\s*(nghin|ngan|trieu|ty)(\s*(dong|vnd|d))?$/.exec(rest);
  const multiplier = multiplierMatch ? (MULTIPLIERS[multiplierMatch[1] ?? ""] ?? 1) : 1;
  if (multiplierMatch) rest = rest.slice(0, multiplierMatch.index);
  return { text: rest === folded ? original : rest, multiplier };
}
