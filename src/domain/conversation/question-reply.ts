import type { CriterionEntry } from "../questionnaire/definition-index.js";
import type { Locale } from "../questionnaire/definition-schema.js";
import { fromHundredths, toHundredths } from "../questionnaire/hundredths.js";
import type { SessionView } from "./context.js";
import type { Reply, ReplyChoice } from "./effects.js";
import { describeAnswer, NO, YES } from "./answer-input.js";
import { criteriaOf } from "./navigation.js";
import { lines, literal, localized, t, type Text } from "./text.js";

export const DONE_VALUE = "done";

/** The choices offered for a criterion; the same list maps typed numbers back to values. */
export function choicesFor(entry: CriterionEntry, locale: Locale, selected: readonly string[] = []): ReplyChoice[] {
  const spec = entry.criterion.answer;
  switch (spec.type) {
    case "yesno":
      return [
        { value: YES, label: t("answer.yes") },
        { value: NO, label: t("answer.no") },
      ];
    case "choice":
      return spec.options.map((o) => ({ value: o.id, label: literal(localized(o.label, locale)) }));
    case "multi":
      return [
        ...spec.options.map((o) => ({ value: o.id, label: literal(localized(o.label, locale)), selected: selected.includes(o.id) })),
        { value: DONE_VALUE, label: t("answer.multiDone") },
      ];
    case "number":
      return [];
  }
}

/** How to answer this kind of question; shown once per session (session-tips.ts) and on "trợ giúp". */
export function hintFor(entry: CriterionEntry): Text {
  const spec = entry.criterion.answer;
  if (spec.type !== "number") return t(`question.hint.${spec.type}`);
  return spec.max === undefined
    ? t(`question.hint.number.${spec.unit}`, { min: spec.min })
    : t(`question.hint.numberRange.${spec.unit}`, { min: spec.min, max: spec.max });
}

export interface QuestionOptions {
  /** Paragraphs to put before the question (the confirmation of the previous answer, an error). */
  readonly lead?: readonly Text[];
  /** "pillar": the pillar's name (entering it on the way forward); true: pillar and indicator (resuming, a jump). */
  readonly headers: boolean | "pillar";
  /** Options already ticked in a several-choice question being answered. */
  readonly selected?: readonly string[];
  /** Add how to answer this kind of question (the first of its kind in a session). */
  readonly howTo?: boolean;
  /** Add what the 📎 mark asks for (the first such question in a session). */
  readonly evidenceTip?: boolean;
  /** The tip's wording where it differs by channel (Zalo: documents go through the upload page). */
  readonly evidenceTipKey?: string;
}

/**
 * One criterion as one short message: the pillar header when entering a pillar, the progress line with the points
 * (📎 when evidence is required), the question, what is on file, and the options. How-to lines come once per session.
 */
export function questionReply(session: SessionView, entry: CriterionEntry, locale: Locale, options: QuestionOptions): Reply {
  const { definition } = session;
  const criterion = entry.criterion;
  const paragraphs: Text[] = [...(options.lead ?? [])];
  if (options.headers === "pillar") {
    paragraphs.push(t("question.pillarEntered", { number: entry.pillarIndex + 1, count: definition.pillars.length, name: localized(entry.pillar.name, locale) }));
  } else if (options.headers) {
    paragraphs.push(
      t("question.pillarHeader", {
        number: entry.pillarIndex + 1,
        count: definition.pillars.length,
        name: localized(entry.pillar.name, locale),
        indicatorId: entry.indicator.id,
        indicator: localized(entry.indicator.name, locale),
      }),
    );
  }
  const details: Text[] = [];
  const existing = session.answers.get(criterion.id);
  if (existing?.value !== null && existing?.value !== undefined) {
    details.push(
      t("question.currentAnswer", {
        answer: describeAnswer(criterion, existing.value, locale),
        name: existing.answeredByName,
        when: existing.answeredAt,
      }),
    );
  }
  if (existing?.note) details.push(t("question.currentNote", { note: existing.note }));
  if (existing && existing.evidenceCount > 0) details.push(t("question.evidenceOnFile", { count: existing.evidenceCount }));
  if (options.evidenceTip === true && criterion.evidence === "required") details.push(t(options.evidenceTipKey ?? "question.evidenceRequired"));
  if (options.howTo === true) details.push(hintFor(entry));
  paragraphs.push(
    lines([
      t("question.progress", {
        number: entry.index + 1,
        count: criteriaOf(definition).length,
        pillar: entry.pillarIndex + 1,
        pillars: definition.pillars.length,
        id: criterion.id,
        max: fromHundredths(toHundredths(criterion.maxScore)),
        evidence: criterion.evidence === "required" ? t("question.evidenceMark") : literal(""),
      }),
      literal(localized(criterion.question, locale)),
      ...details,
    ]),
  );
  const choices = choicesFor(entry, locale, options.selected);
  if (choices.length === 0) return { paragraphs, questionId: criterion.id };
  // Yes and no need listing once a session (with how to answer); after that the question itself says it.
  const unlisted = criterion.answer.type === "yesno" && options.howTo !== true;
  return unlisted ? { paragraphs, choices, questionId: criterion.id, listChoices: false } : { paragraphs, choices, questionId: criterion.id };
}

/** A reply the engine could not read: one line saying why, and the question's options again (not the whole question). */
export function refusalReply(entry: CriterionEntry, locale: Locale, error: Text, selected?: readonly string[]): Reply {
  const choices = choicesFor(entry, locale, selected);
  return choices.length > 0 ? { paragraphs: [error], choices, questionId: entry.criterion.id } : { paragraphs: [error], questionId: entry.criterion.id };
}
