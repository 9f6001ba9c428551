import type { ChoiceOption } from "../questionnaire/definition-schema.js";
import { optionCandidates } from "./answer-input.js";
import { foldText } from "./text.js";
import { meansNone } from "./tolerant-reading.js";

/**
 * What a typed reply to a several-choice question means. A typed list is the whole answer, saved at once: it
 * replaces what was picked or saved before, so "1 3" always saves exactly options 1 and 3.
 * - `list`: these options (the number of the "Xong" line and the word "xong" inside a list are ignored);
 * - `none`: "0", "không", "none": no option applies (an answer worth 0 points, not a skipped question);
 * - `done`: only "Xong" (its number): save the options already ticked with the buttons;
 * - `ambiguous`: a part of the text names several options: ask which, save nothing;
 * - `invalid`: not a list of these options.
 */
export type MultiReading =
  | { readonly kind: "list"; readonly ids: readonly string[] }
  | { readonly kind: "none" }
  | { readonly kind: "done" }
  | { readonly kind: "ambiguous"; readonly part: string; readonly ids: readonly string[] }
  | { readonly kind: "invalid" };

const DONE_WORDS = /(^|[\s,;.])(xong|done|roi|hoan tat|finish)$/;

export function readMultiReply(options: readonly ChoiceOption[], input: string): MultiReading {
  if (meansNone(input)) return { kind: "none" };
  const doneNumber = options.length + 1;
  const folded = foldText(input).replace(/\b(va|and|voi)\b/g, ",");
  const withoutDone = folded.replace(DONE_WORDS, "").trim().replace(/[\s,;.]+$/, "");
  if (withoutDone === "") return { kind: "done" };
  if (/^\d+([\s,;.]+\d+)*$/.test(withoutDone)) {
    const numbers = withoutDone.split(/[\s,;.]+/).filter(Boolean).map(Number);
    if (numbers.some((n) => n < 1 || n > doneNumber)) return { kind: "invalid" };
    const picked = numbers.filter((n) => n !== doneNumber);
    if (picked.length === 0) return { kind: "done" };
    return { kind: "list", ids: inOrder(options, picked.map((n) => options[n - 1]?.id ?? "")) };
  }
  // Labels may hold commas themselves ("Thu phí nội dung, thuê bao số"): the whole text first, then its parts.
  const whole = optionCandidates(options, withoutDone);
  if (whole.length === 1) return { kind: "list", ids: whole.map((o) => o.id) };
  const ids: string[] = [];
  for (const part of withoutDone.split(/\s*[,;]\s*/).filter(Boolean)) {
    const found = /^\d+$/.test(part) && Number(part) === doneNumber ? [] : optionCandidates(options, part);
    if (found.length > 1) return { kind: "ambiguous", part, ids: found.map((o) => o.id) };
    if (found.length === 0 && !(/^\d+$/.test(part) && Number(part) === doneNumber)) return { kind: "invalid" };
    ids.push(...found.map((o) => o.id));
  }
  return ids.length === 0 ? { kind: "done" } : { kind: "list", ids: inOrder(options, ids) };
}

/** Option ids in the definition's order, each once. */
export function inOrder(options: readonly ChoiceOption[], ids: readonly string[]): string[] {
  const wanted = new Set(ids);
  return options.map((o) => o.id).filter((id) => wanted.has(id));
}
