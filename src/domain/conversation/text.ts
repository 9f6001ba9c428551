import type { LocalizedText, Locale } from "../questionnaire/definition-schema.js";

/** Values substituted into a message; numbers are formatted for the reader's locale by the translator. */
export type Vars = Readonly<Record<string, VarValue>>;
/** A Date is shown as dd/mm/yyyy (HH:mm) in Vietnam time; a nested Text is translated first. */
export type VarValue = string | number | Date | Text;

/**
 * A piece of user-facing text. The domain never writes wording itself: it names a message key (translated from
 * locales/<lang>/translation.json) or passes through text that is data — a definition's question, a person's name,
 * something the user typed.
 */
export type Text =
  | { readonly kind: "key"; readonly key: string; readonly vars?: Vars }
  | { readonly kind: "literal"; readonly text: string }
  /** Several texts, one per line, forming one paragraph. */
  | { readonly kind: "lines"; readonly lines: readonly Text[] };

export const t = (key: string, vars?: Vars): Text => (vars === undefined ? { kind: "key", key } : { kind: "key", key, vars });
export const literal = (text: string): Text => ({ kind: "literal", text });
export const lines = (items: readonly Text[]): Text => ({ kind: "lines", lines: items });

/** A definition's text in the reader's language (Vietnamese when no English is given). */
export function localized(text: LocalizedText, locale: Locale): string {
  return locale === "en" && text.en.trim() !== "" ? text.en : text.vi;
}

/**
 * Folds what people type for comparison: lower case, no Vietnamese diacritics (đ → d), single spaces, no
 * surrounding punctuation. "Điểm!" and "diem" compare equal, as Zalo users often type without accents.
 */
export function foldText(input: string): string {
  const folded = input
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/\s+/g, " ");
  return trimEdges(folded);
}

const EDGE_CHARS = new Set([..." .,;:!?\"'()[]"]);

/**
 * The text without leading and trailing spaces and punctuation, in one pass from each end. A regex anchored at the end
 * (`[…]+$`) is tried again from every position of a long run of dots, which made 100,000 characters cost seconds.
 */
function trimEdges(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && EDGE_CHARS.has(text.charAt(start))) start += 1;
  while (end > start && EDGE_CHARS.has(text.charAt(end - 1))) end -= 1;
  return text.slice(start, end);
}
