import type { AnswerValue } from "../questionnaire/answer-value.js";
import type { ChoiceOption, Criterion, Locale } from "../questionnaire/definition-schema.js";
import { localized, t, type Text } from "./text.js";

/** The values yes/no questions offer as choices, in display order. */
export const YES = "yes";
export const NO = "no";

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
