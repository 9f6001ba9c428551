import type { AnswerValue } from "../questionnaire/answer-value.js";
import type { ChoiceOption, Criterion, Locale } from "../questionnaire/definition-schema.js";
import { parseNumberInput } from "./number-input.js";
import { foldText, localized, t, type Text } from "./text.js";

export type AnswerParse =
  | { readonly ok: true; readonly value: AnswerValue }
  | { readonly ok: false; readonly error: Text };

/** The values yes/no questions offer as choices, in display order. */
export const YES = "yes";
export const NO = "no";

/**
 * Finds the option a person meant: its number in the list (1-based) or its label, ignoring case and diacritics,
 * in either language. Returns null when nothing, or more than one option, matches.
 */
export function matchOption(options: readonly ChoiceOption[], input: string): ChoiceOption | null {
  const folded = foldText(input);
  if (/^\d+$/.test(folded)) return options[Number(folded) - 1] ?? null;
  const exact = options.filter((o) => foldText(o.label.vi) === folded || foldText(o.label.en) === folded || o.id === folded);
  return exact.length === 1 ? (exact[0] ?? null) : null;
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
      if (["1", "co", "yes", "y", "dung", "da co", "roi", "da"].includes(folded)) return { ok: true, value: true };
      if (["2", "khong", "no", "n", "chua", "chua co"].includes(folded)) return { ok: true, value: false };
      return { ok: false, error: t("answer.invalidYesNo") };
    }
    case "choice": {
      const option = matchOption(spec.options, input);
      return option
        ? { ok: true, value: option.id }
        : { ok: false, error: t("answer.invalidChoice", { count: spec.options.length }) };
    }
    case "multi":
      // Several-choice answers are collected step by step (see step.ts); this is not reached for them.
      return { ok: false, error: t("answer.invalidMulti", { count: spec.options.length }) };
    case "number": {
      const parsed = parseNumberInput(input, spec.unit);
      if (!parsed.ok) return { ok: false, error: t(`answer.notANumber.${spec.unit}`) };
      if (parsed.value < spec.min) return { ok: false, error: t(`answer.belowMin.${spec.unit}`, { min: spec.min }) };
      if (spec.max !== undefined && parsed.value > spec.max) {
        return { ok: false, error: t(`answer.aboveMax.${spec.unit}`, { max: spec.max }) };
      }
      return { ok: true, value: parsed.value };
    }
  }
}

/** How an answer value reads back to a person: "Có", an option label, "45,5%", or a list of labels. */
export function describeAnswer(criterion: Criterion, value: AnswerValue, locale: Locale): Text {
  const spec = criterion.answer;
  switch (spec.type) {
    case "yesno":
      return t(value === true ? "answer.yes" : "answer.no");
    case "choice": {
      const option = spec.options.find((o) => o.id === value);
      return { kind: "literal", text: option ? localized(option.label, locale) : String(value) };
    }
    case "multi": {
      const ids = Array.isArray(value) ? value : [];
      if (ids.length === 0) return t("answer.noneSelected");
      const labels = spec.options.filter((o) => ids.includes(o.id)).map((o) => localized(o.label, locale));
      return { kind: "literal", text: labels.join("; ") };
    }
    case "number":
      return t(`answer.number.${spec.unit}`, { value: typeof value === "number" ? value : 0 });
  }
}
