import type { SessionView } from "../conversation/context.js";
import type { Reply } from "../conversation/effects.js";
import { answerValues } from "../conversation/summary-replies.js";
import { lines, literal, localized, t, type Text } from "../conversation/text.js";
import type { Criterion, IndexDefinition, Locale, Pillar } from "../questionnaire/definition-schema.js";
import { fromHundredths, toHundredths } from "../questionnaire/hundredths.js";
import { mostMissingPoints, scoreAssessment, type Answers, type MissingPoints } from "../questionnaire/scoring.js";
import { shorten } from "./result-texts.js";

/** How many criteria each pillar of the plan lists: enough to act on, short enough to read in a chat bubble. */
export const PLAN_ITEMS_PER_PILLAR = 3;
const QUESTION_CHARS = 90;

export interface PillarPlan {
  readonly pillar: Pillar;
  /** 1-based position of the pillar in the definition. */
  readonly number: number;
  readonly scoreH: number;
  readonly maxH: number;
  /** Points still missing in the whole pillar. */
  readonly missingH: number;
  /** The criteria with the most missing points, most first (ties in the definition's order). */
  readonly items: readonly MissingPoints[];
  /** Criteria with missing points left out of `items`. */
  readonly more: number;
}

/**
 * The improvement plan: per pillar, the criteria with the most points at stake. Pillars with the most missing
 * points come first (ties in the definition's order); pillars at full marks are left out.
 */
export function improvementPlan(definition: IndexDefinition, answers: Answers, perPillar = PLAN_ITEMS_PER_PILLAR): PillarPlan[] {
  const score = scoreAssessment(definition, answers);
  const missing = mostMissingPoints(definition, answers);
  const plans = definition.pillars.map((pillar, index): PillarPlan => {
    const tally = score.pillars[index];
    const own = missing.filter((m) => m.pillarId === pillar.id);
    return {
      pillar,
      number: index + 1,
      scoreH: tally?.scoreH ?? 0,
      maxH: tally?.maxH ?? toHundredths(pillar.maxScore),
      missingH: own.reduce((sum, m) => sum + m.missingH, 0),
      items: own.slice(0, perPillar),
      more: Math.max(0, own.length - perPillar),
    };
  });
  return plans
    .filter((p) => p.missingH > 0)
    .sort((a, b) => b.missingH - a.missingH || a.number - b.number);
}

/** Items per plan message: the top ones in one bubble that fits Zalo's 2,000 characters; "xem thêm" for the rest. */
export const PLAN_ITEMS_PER_MESSAGE = 5;
const HELP_CHARS = 120;

export interface PlanPage {
  readonly reply: Reply;
  /** How many items have been shown after this page; 0 when nothing is left to show. */
  readonly shown: number;
}

/**
 * `/plan` as ONE chat message: the criteria with the most points at stake, across pillars, from item `from` on.
 * The first page opens with the score and what can still be gained; a page with more after it ends with how to see
 * the rest ("xem thêm"). The unofficial-questionnaire note is added when asked (once per session).
 */
export function planReply(session: SessionView, agencyName: string, locale: Locale, options: { readonly from: number; readonly unofficialNote: boolean }): PlanPage {
  const { definition } = session;
  const answers = answerValues(session);
  const score = scoreAssessment(definition, answers);
  const missing = mostMissingPoints(definition, answers);
  const title = t("results.plan.title", { agency: agencyName, period: session.periodName });
  if (missing.length === 0) return { reply: { paragraphs: [title, t("results.plan.allFull", { total: fromHundredths(score.totalH) })] }, shown: 0 };
  const from = options.from < missing.length ? options.from : 0;
  const items = missing.slice(from, from + PLAN_ITEMS_PER_MESSAGE);
  const shown = from + items.length;
  const paragraphs: Text[] = [];
  if (from === 0) {
    paragraphs.push(
      title,
      t("results.plan.summary", {
        total: fromHundredths(score.totalH),
        max: fromHundredths(score.maxH),
        gain: fromHundredths(score.maxH - score.totalH),
        count: missing.length,
      }),
    );
  } else {
    paragraphs.push(t("results.plan.continued", { from: from + 1, to: shown, count: missing.length }));
  }
  for (const item of items) paragraphs.push(itemParagraph(item, locale));
  const rest = missing.length - shown;
  if (rest > 0) paragraphs.push(t("results.plan.more", { count: rest }));
  paragraphs.push(t("results.plan.howTo", { id: items[0]?.criterion.id ?? "" }));
  if (options.unofficialNote && !definition.source.official) paragraphs.push(t("results.plan.unofficial"));
  return { reply: { paragraphs }, shown: rest > 0 ? shown : 0 };
}

function itemParagraph(item: MissingPoints, locale: Locale): Text {
  const criterion = item.criterion;
  return lines([
    t(item.answered ? "results.plan.item" : "results.plan.itemUnanswered", {
      id: criterion.id,
      missing: fromHundredths(item.missingH),
      max: criterion.maxScore,
      question: shorten(localized(criterion.question, locale), QUESTION_CHARS),
    }),
    fullMarks(criterion, locale),
  ]);
}

/** What full marks require: the definition's help text, or, when a definition has none, the best answer. */
function fullMarks(criterion: Criterion, locale: Locale): Text {
  if (criterion.help) return t("results.plan.fullMarks", { help: shorten(localized(criterion.help, locale), HELP_CHARS) });
  const spec = criterion.answer;
  switch (spec.type) {
    case "yesno":
      return t("results.plan.fullMarks", { help: t("results.plan.bestYes") });
    case "choice":
    case "multi": {
      const top = Math.max(...spec.options.map((o) => o.score));
      const best = spec.type === "choice" ? spec.options.filter((o) => o.score === top) : spec.options.filter((o) => o.score > 0);
      return t("results.plan.fullMarks", { help: t("results.plan.bestOptions", { options: literal(best.map((o) => localized(o.label, locale)).join("; ")) }) });
    }
    case "number": {
      const bands = spec.bands ?? [];
      const top = Math.max(0, ...bands.map((b) => b.score));
      const fromBands = Math.min(...bands.filter((b) => b.score === top).map((b) => b.from), Number.POSITIVE_INFINITY);
      const target = spec.linear?.target ?? (Number.isFinite(fromBands) ? fromBands : spec.min);
      return t("results.plan.fullMarks", { help: t("results.plan.bestNumber", { value: t(numberKey(spec.unit), { value: target }) }) });
    }
  }
}

function numberKey(unit: "percent" | "count" | "vnd"): string {
  return unit === "percent" ? "answer.number.percent" : unit === "count" ? "answer.number.count" : "answer.number.vnd";
}
