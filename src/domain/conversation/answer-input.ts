import type { AnswerValue } from "../questionnaire/answer-value.js";
import type { ChoiceOption, Criterion, Locale } from "../questionnaire/definition-schema.js";
import { parseNumberInput } from "./number-input.js";
import { foldText, localized, t, type Text } from "./text.js";
import { figureText, plainReply, readYesNo } from "./tolerant-reading.js";

export type AnswerParse =
  | { readonly ok: true; readonly value: AnswerValue }
  /** `candidates`: the options an ambiguous reply could mean, to ask which one (never saved as a guess). */
  | { readonly ok: false; readonly error: Text; readonly candidates?: readonly string[] };

/** The values yes/no questions offer as choices, in display order. */
export const YES = "yes";
export const NO = "no";

/**
 * The options a person may have meant: its number in the list (1-based), its label in either language (ignoring
 * case, diacritics and polite particles), or failing that a part of the label typed as whole words ("trung tâm dữ
 * liệu" for "Trung tâm dữ liệu/đám mây trong nước"). Several candidates mean the reply is ambiguous.
 */
export function optionCandidates(options: readonly ChoiceOption[], input: string): ChoiceOption[] {
  const folded = foldText(input);
  if (/^\d+$/.test(folded)) {
    const byNumber = options[Number(folded) - 1];
    return byNumber ? [byNumber] : [];
  }
  for (const typed of [folded, plainReply(input)]) {
    if (typed === "") continue;
    const exact = options.filter((o) => foldText(o.label.vi) === typed || foldText(o.label.en) === typed || o.id === typed);
    if (exact.length > 0) return exact;
  }
  const typed = plainReply(input);
  // Two letters are too little to name an option ("có" is in many labels); whole words only.
  if (typed.length < 3) return [];
  const inside = (label: string): boolean => ` ${foldText(label).replace(/[^a-z0-9%]+/g, " ")} `.includes(` ${typed.replace(/[^a-z0-9%]+/g, " ").trim()} `);
  return options.filter((o) => inside(o.label.vi) || inside(o.label.en));
}

/** The one option a person meant, or null when nothing or more than one option matches. */
export function matchOption(options: readonly ChoiceOption[], input: string): ChoiceOption | null {
  const found = optionCandidates(options, input);
  return found.length === 1 ? (found[0] ?? null) : null;
}

/** Typed numbers for a several-choice question: "1 3", "1,3", "1, 3 và 4". Null when it is not such a list. */
export function parseNumberList(input: string, count: number): number[] | null {
  const folded = foldText(input).replace(/\b(va|and)\b/g, " ");
  if (!/^\d+([\s,;]+\d+)*$/.test(folded.trim())) return null;
  const numbers = folded.split(/[\s,;]+/).filter(Boolean).map(Number);
  return numbers.every((n) => n >= 1 && n <= count) ? [...new Set(numbers)] : null;
}

/** Interprets typed text as an answer to a yes/no, one-choice or number criterion. */
export function parseTypedAnswer(criterion: Criterion, input: string): AnswerParse {
  const spec = criterion.answer;
  const folded = foldText(input);
  switch (spec.type) {
    case "yesno": {
      if (folded === "1") return { ok: true, value: true };
      if (folded === "2") return { ok: true, value: false };
      const yes = readYesNo(input);
      return yes === null ? { ok: false, error: t("answer.invalidYesNo") } : { ok: true, value: yes };
    }
    case "choice": {
      const found = optionCandidates(spec.options, input);
      const [only] = found;
      if (found.length === 1 && only) return { ok: true, value: only.id };
      if (found.length > 1) return { ok: false, error: t("answer.ambiguousChoice", { typed: input.trim() }), candidates: found.map((o) => o.id) };
      return { ok: false, error: t("answer.invalidChoice", { count: spec.options.length }) };
    }
    case "multi":
      // Several-choice answers are read by multi-select.ts; this is not reached for them.
      return { ok: false, error: t("answer.invalidMulti", { count: spec.options.length }) };
    case "number": {
      const figure = figureText(input);
      const parsed = parseNumberInput(figure.text, spec.unit);
      if (!parsed.ok) return { ok: false, error: t(`answer.notANumber.${spec.unit}`) };
      const value = spec.unit === "vnd" ? parsed.value * figure.multiplier : parsed.value;
      if (figure.multiplier !== 1 && spec.unit !== "vnd") return { ok: false, error: t(`answer.notANumber.${spec.unit}`) };
      if (value < spec.min) return { ok: false, error: t(`answer.belowMin.${spec.unit}`, { min: spec.min }) };
      if (spec.max !== undefined && value > spec.max) {
        return { ok: false, error: t(`answer.aboveMax.${spec.unit}`, { max: spec.max }) };
      }
      return { ok: true, value };
    }
  }
}

/** How an answer value reads back to a person: "Có", an option label, "45,5%", or a list of labels. */
export function describeAnswer(criterion: Criterion, value: AnswerValue, locale: Locale, brief = false): Text {
  const spec = criterion.answer;
  const options = spec.type === "choice" || spec.type === "multi" ? spec.options : [];
  const label = (option: ChoiceOption): string => (brief ? briefLabel(option, options, locale) : localized(option.label, locale));
  switch (spec.type) {
    case "yesno":
      return t(value === true ? "answer.yes" : "answer.no");
    case "choice": {
      const option = spec.options.find((o) => o.id === value);
      return { kind: "literal", text: option ? label(option) : String(value) };
    }
    case "multi": {
      const ids = Array.isArray(value) ? value : [];
      if (ids.length === 0) return t("answer.noneSelected");
      const labels = spec.options.filter((o) => ids.includes(o.id)).map(label);
      return { kind: "literal", text: labels.join("; ") };
    }
    case "number":
      return t(`answer.number.${spec.unit}`, { value: typeof value === "number" ? value : 0 });
  }
}

/** Fewest words of an option label kept in a brief confirmation. */
const BRIEF_LABEL_WORDS = 2;

/** The label's first words, as many as it takes to tell it from the other options ("Đã ban hành, giao…"). */
function briefLabel(option: ChoiceOption, options: readonly ChoiceOption[], locale: Locale): string {
  const words = localized(option.label, locale).split(/\s+/);
  const others = options.filter((o) => o.id !== option.id).map((o) => localized(o.label, locale).split(/\s+/));
  for (let n = BRIEF_LABEL_WORDS; n < words.length; n += 1) {
    const head = words.slice(0, n).join(" ");
    if (others.every((w) => w.slice(0, n).join(" ") !== head)) return `${head.replace(/[,;:]$/, "")}…`;
  }
  return words.join(" ");
}
