import type { Criterion } from "./definition-schema.js";

/** A stored answer: yes/no, one option id, several option ids, or a number. */
export type AnswerValue = boolean | string | readonly string[] | number;

/**
 * Why a value is not a valid answer, as a code with its details: the wording belongs to whoever shows it (the
 * operator's commands translate it; chat users get their own messages from the conversation layer).
 */
export type AnswerProblem =
  | { readonly code: "expected-yes-no" }
  | { readonly code: "expected-one-option"; readonly options: readonly string[] }
  | { readonly code: "unknown-option"; readonly value: string; readonly options?: readonly string[] }
  | { readonly code: "expected-option-list" }
  | { readonly code: "repeated-option" }
  | { readonly code: "expected-number" }
  | { readonly code: "below-minimum"; readonly value: number; readonly minimum: number }
  | { readonly code: "above-maximum"; readonly value: number; readonly maximum: number };

export type AnswerCheck = { readonly ok: true; readonly value: AnswerValue } | { readonly ok: false; readonly problem: AnswerProblem };

const refuse = (problem: AnswerProblem): AnswerCheck => ({ ok: false, problem });

/** Checks that `value` is a valid answer for `criterion` (right kind, known options, within range). */
export function checkAnswerValue(criterion: Criterion, value: unknown): AnswerCheck {
  const spec = criterion.answer;
  switch (spec.type) {
    case "yesno":
      return typeof value === "boolean" ? { ok: true, value } : refuse({ code: "expected-yes-no" });
    case "choice": {
      const options = spec.options.map((o) => o.id);
      if (typeof value !== "string") return refuse({ code: "expected-one-option", options });
      return options.includes(value) ? { ok: true, value } : refuse({ code: "unknown-option", value, options });
    }
    case "multi": {
      if (!Array.isArray(value) || !value.every((v): v is string => typeof v === "string")) return refuse({ code: "expected-option-list" });
      const unknown = value.find((v) => !spec.options.some((o) => o.id === v));
      if (unknown !== undefined) return refuse({ code: "unknown-option", value: unknown });
      if (new Set(value).size !== value.length) return refuse({ code: "repeated-option" });
      return { ok: true, value };
    }
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value)) return refuse({ code: "expected-number" });
      if (value < spec.min) return refuse({ code: "below-minimum", value, minimum: spec.min });
      if (spec.max !== undefined && value > spec.max) return refuse({ code: "above-maximum", value, maximum: spec.max });
      return { ok: true, value };
    }
  }
}
