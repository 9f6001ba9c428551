import type { Criterion } from "./definition-schema.js";

/** A stored answer: yes/no, one option id, several option ids, or a number. */
export type AnswerValue = boolean | string | readonly string[] | number;

export type AnswerCheck =
  | { readonly ok: true; readonly value: AnswerValue }
  | { readonly ok: false; readonly reason: string };

const wrongKind = (expected: string): AnswerCheck => ({ ok: false, reason: `expected ${expected}` });

/**
 * Checks that `value` is a valid answer for `criterion` (right kind, known options, within range).
 * The reason is English and technical: it is for operators and files, not chat users,
 * who get localised messages from the conversation layer.
 */
export function checkAnswerValue(criterion: Criterion, value: unknown): AnswerCheck {
  const spec = criterion.answer;
  switch (spec.type) {
    case "yesno":
      return typeof value === "boolean" ? { ok: true, value } : wrongKind("true or false");
    case "choice": {
      if (typeof value !== "string") return wrongKind(`one option id (${spec.options.map((o) => o.id).join(", ")})`);
      return spec.options.some((o) => o.id === value)
        ? { ok: true, value }
        : { ok: false, reason: `unknown option "${value}" (expected one of ${spec.options.map((o) => o.id).join(", ")})` };
    }
    case "multi": {
      if (!Array.isArray(value) || !value.every((v): v is string => typeof v === "string")) {
        return wrongKind("an array of option ids");
      }
      const unknown = value.find((v) => !spec.options.some((o) => o.id === v));
      if (unknown !== undefined) return { ok: false, reason: `unknown option "${unknown}"` };
      if (new Set(value).size !== value.length) return { ok: false, reason: "an option is chosen more than once" };
      return { ok: true, value };
    }
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value)) return wrongKind("a number");
      if (value < spec.min) return { ok: false, reason: `${value} is below the minimum ${spec.min}` };
      if (spec.max !== undefined && value > spec.max) return { ok: false, reason: `${value} is above the maximum ${spec.max}` };
      return { ok: true, value };
    }
  }
}
