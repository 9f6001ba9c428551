import type { ChoiceOption } from "../questionnaire/definition-schema.js";
import { isHedge } from "./reading/read-answer.js";
import { normalizeReply, wordSet } from "./reading/normalize.js";
import { optionCandidates } from "./reading/options.js";
import type { ReplyVocabulary } from "./reading/vocabulary.js";
import { foldText } from "./text.js";

/**
 * What a typed reply to a several-choice question means. A typed list is the whole answer, saved at once: it
 * replaces what was picked or saved before, so "1 3" always saves exactly options 1 and 3.
 * - `list`: these options ("1 3", "1-3", "1 đến 4", "tất cả", "cả 5", "chỉ có zalo", option words);
 * - `none`: "0", "không", "chưa có chức năng nào", "chưa dùng AI": no option applies (0 points, not a skipped question);
 * - `done`: only "Xong" (its number): save the options already ticked with the buttons;
 * - `ambiguous`: a part of the text names several options: ask which, save nothing;
 * - `invalid`: not a list of these options (hedges included: never read as an answer).
 */
export type MultiReading =
  /** `numbers`: the list was typed as option numbers ("1 3"), so the confirmation can say them back as typed. */
  | { readonly kind: "list"; readonly ids: readonly string[]; readonly note?: string; readonly numbers?: readonly number[] }
  | { readonly kind: "none"; readonly note?: string }
  | { readonly kind: "done" }
  | { readonly kind: "ambiguous"; readonly part: string; readonly ids: readonly string[] }
  | { readonly kind: "invalid" };

const DONE_WORDS = /(^|[\s,;.])(xong|done|roi|hoan tat|finish)$/;

export function readMultiReply(options: readonly ChoiceOption[], input: string, vocabulary: ReplyVocabulary, question = ""): MultiReading {
  const reading = readList(options, input, vocabulary, question);
  if (reading.kind !== "invalid") return reading;
  // "1 3 (theo kế hoạch năm)": the list, and the remark kept as the note.
  const bracket = /^([^()]+?)\s*\(([^()]+)\)\s*$/u.exec(input.trim());
  if (bracket?.[1] && bracket[2]?.trim()) {
    const head = readList(options, bracket[1], vocabulary, question);
    if (head.kind === "list" || head.kind === "none") return { ...head, note: bracket[2].trim() };
  }
  return reading;
}

function readList(options: readonly ChoiceOption[], input: string, vocabulary: ReplyVocabulary, question: string): MultiReading {
  const reply = normalizeReply(input, vocabulary);
  const questionWords = wordSet(question, vocabulary);
  if (isHedge(reply, question, vocabulary)) return { kind: "invalid" };
  if (vocabulary.none.has(reply.plain) || noneOfThem(reply.words, questionWords, vocabulary)) return { kind: "none" };
  // A bare "có" says nothing about which options.
  if (vocabulary.yes.has(reply.plain) && !/^\d+$/.test(reply.plain)) return { kind: "invalid" };
  if (allOfThem(reply.words, options.length, vocabulary)) return { kind: "list", ids: options.map((o) => o.id) };
  const except = allExcept(options, reply.words, vocabulary);
  if (except !== null) return except;
  const doneNumber = options.length + 1;
  const folded = foldText(input).replace(/\b(va|and|voi)\b/g, ",");
  const withoutDone = folded.replace(DONE_WORDS, "").trim().replace(/[\s,;.]+$/, "");
  if (withoutDone === "") return { kind: "done" };
  const numbers = numberList(withoutDone);
  if (numbers !== null) {
    if (numbers.some((n) => n < 1 || n > doneNumber)) return { kind: "invalid" };
    const picked = numbers.filter((n) => n !== doneNumber);
    if (picked.length === 0) return { kind: "done" };
    const ids = inOrder(options, picked.map((n) => options[n - 1]?.id ?? ""));
    return { kind: "list", ids, numbers: ids.map((id) => options.findIndex((o) => o.id === id) + 1) };
  }
  // Labels may hold commas themselves ("Thu phí nội dung, thuê bao số"): a label typed whole first, then the parts
  // ("duyệt bài nhiều cấp, tác nghiệp trên di động"), then the whole text read loosely.
  const only = stripOnly(withoutDone);
  const exact = options.filter((o) => foldText(o.label.vi) === only || foldText(o.label.en) === only);
  if (exact.length === 1) return { kind: "list", ids: exact.map((o) => o.id) };
  const parts = withoutDone.split(/\s*[,;]\s*/).filter(Boolean);
  const byParts = parts.length > 1 ? readParts(options, parts, doneNumber, vocabulary, questionWords) : null;
  if (byParts !== null && byParts.kind !== "invalid") return byParts;
  const whole = optionCandidates(options, only, normalizeReply(only, vocabulary), vocabulary, questionWords);
  if (whole.length === 1) return { kind: "list", ids: whole.map((o) => o.id) };
  return byParts ?? readParts(options, parts, doneNumber, vocabulary, questionWords);
}

function readParts(options: readonly ChoiceOption[], parts: readonly string[], doneNumber: number, vocabulary: ReplyVocabulary, questionWords: ReadonlySet<string>): MultiReading {
  const ids: string[] = [];
  for (const part of parts) {
    if (/^\d+$/.test(part) && Number(part) === doneNumber) continue;
    const text = stripOnly(part);
    const found = optionCandidates(options, text, normalizeReply(text, vocabulary), vocabulary, questionWords);
    if (found.length > 1) return { kind: "ambiguous", part, ids: found.map((o) => o.id) };
    if (found.length === 0) return { kind: "invalid" };
    ids.push(...found.map((o) => o.id));
  }
  return ids.length === 0 ? { kind: "done" } : { kind: "list", ids: inOrder(options, ids) };
}

/** "1 3", "1,3", "1-3", "1 đến 4", "từ 1 đến 3", "1, 2 và 4": the numbers, ranges spelled out; null otherwise. */
function numberList(folded: string): number[] | null {
  const text = folded.replace(/^tu\s+(?=\d)/, "").replace(/(\d)\s*(?:-|–|den|toi|to)\s*(\d)/g, "$1-$2");
  if (!/^\d+(?:-\d+)?(?:[\s,;.]+\d+(?:-\d+)?)*$/.test(text)) return null;
  const numbers: number[] = [];
  for (const piece of text.split(/[\s,;.]+/).filter(Boolean)) {
    const [from, to] = piece.split("-").map(Number);
    if (from === undefined) continue;
    if (to === undefined) numbers.push(from);
    else if (to >= from && to - from < 50) for (let n = from; n <= to; n += 1) numbers.push(n);
    else return null;
  }
  return numbers;
}

/** "tất cả", "hết", "cả 5" (when there are five). */
function allOfThem(words: readonly string[], count: number, vocabulary: ReplyVocabulary): boolean {
  const plain = words.join(" ");
  if (vocabulary.all.has(plain)) return true;
  const last = words.at(-1) ?? "";
  const number = /^\d+$/.test(last) ? Number(last) : vocabulary.numberWords.get(last);
  const head = words.slice(0, -1).join(" ");
  return number === count && (vocabulary.all.has(head) || head === "ca");
}

/** "chưa có chức năng nào", "chưa dùng AI": a negation, then only words of the question. */
function noneOfThem(words: readonly string[], questionWords: ReadonlySet<string>, vocabulary: ReplyVocabulary): boolean {
  if (!vocabulary.negations.has(words[0] ?? "")) return false;
  const rest = words.slice(1);
  return rest.length > 0 && rest.every((w) => questionWords.has(w) || vocabulary.noneTail.has(w) || vocabulary.stopwords.has(w) || vocabulary.none.has(w));
}

/** "chỉ có zalo" → "zalo", "có bình luận thôi" → "bình luận": "only", "we have" name no option. */
function stripOnly(text: string): string {
  return text.replace(/^(chi co|chi dung|chi|only|co|dung|co dung)\s+/, "").replace(/\s+(thoi|thoi a|nua)$/, "");
}

/** "tất cả trừ số 3", "trừ flycam còn lại có hết": every option but those named after "trừ". */
function allExcept(options: readonly ChoiceOption[], words: readonly string[], vocabulary: ReplyVocabulary): MultiReading | null {
  const at = words.findIndex((w) => w === "tru" || w === "except");
  if (at < 0) return null;
  const before = words.slice(0, at).filter((w) => w !== "ngoai");
  const after = words.slice(at + 1);
  const restWords = new Set(["con", "lai", "co", "het", "deu", "ca", "thi", "con lai"]);
  const isAll = (part: readonly string[]): boolean => part.length === 0 || vocabulary.all.has(part.join(" ")) || part.every((w) => restWords.has(w) || vocabulary.all.has(w));
  // "tất cả trừ X" or "trừ X (còn lại có hết)": the excluded part is the one that is not "all".
  const tailAll = after.findIndex((w) => w === "con");
  const excluded = isAll(before) ? (tailAll > 0 ? after.slice(0, tailAll) : after) : null;
  if (excluded === null || excluded.length === 0) return null;
  const text = excluded.join(" ");
  const found = optionCandidates(options, text, normalizeReply(text, vocabulary), vocabulary);
  if (found.length !== 1) return null;
  return { kind: "list", ids: options.filter((o) => !found.includes(o)).map((o) => o.id) };
}

/** Option ids in the definition's order, each once. */
export function inOrder(options: readonly ChoiceOption[], ids: readonly string[]): string[] {
  const wanted = new Set(ids);
  return options.map((o) => o.id).filter((id) => wanted.has(id));
}
