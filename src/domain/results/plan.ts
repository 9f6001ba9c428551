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
const QUESTION_CHARS = 110;

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

/**
 * `/plan` as chat messages: a summary, then one message per pillar (a whole plan in one bubble would pass Zalo's
 * 2,000 characters), and how to act on it at the end.
 */
export function planReplies(session: SessionView, agencyName: string, locale: Locale): Reply[] {
  const { definition } = session;
  const answers = answerValues(session);
  const score = scoreAssessment(definition, answers);
  const plan = improvementPlan(definition, answers);
  const head: Text[] = [t("results.plan.title", { agency: agencyName, period: session.periodName })];
  if (plan.length === 0) return [{ paragraphs: [...head, t("results.plan.allFull", { total: fromHundredths(score.totalH) })] }];
  head.push(
    t("results.plan.summary", {
      total: fromHundredths(score.totalH),
      max: fromHundredths(score.maxH),
      gain: fromHundredths(score.maxH - score.totalH),
      perPillar: PLAN_ITEMS_PER_PILLAR,
    }),
  );
  const replies: Reply[] = [{ paragraphs: head }];
  for (const pillarPlan of plan) replies.push({ paragraphs: pillarParagraphs(pillarPlan, locale) });
  const last = replies[replies.length - 1];
  const tail: Text[] = [t("results.plan.howTo", { id: plan[0]?.items[0]?.criterion.id ?? "" })];
  if (!definition.source.official) tail.push(t("results.plan.unofficial"));
  if (last) replies[replies.length - 1] = { paragraphs: [...last.paragraphs, ...tail] };
  return replies;
}

function pillarParagraphs(plan: PillarPlan, locale: Locale): Text[] {
  const paragraphs: Text[] = [
    t("results.plan.pillar", {
      number: plan.number,
      id: plan.pillar.id,
      name: localized(plan.pillar.name, locale),
      missing: fromHundredths(plan.missingH),
      score: fromHundredths(plan.scoreH),
      max: fromHundredths(plan.maxH),
    }),
  ];
  for (const item of plan.items) {
    const criterion = item.criterion;
    paragraphs.push(
      lines([
        t(item.answered ? "results.plan.item" : "results.plan.itemUnanswered", {
          id: criterion.id,
          missing: fromHundredths(item.missingH),
          max: criterion.maxScore,
          question: shorten(localized(criterion.question, locale), QUESTION_CHARS),
        }),
        fullMarks(criterion, locale),
      ]),
    );
  }
  if (plan.more > 0) paragraphs.push(t("results.plan.more", { count: plan.more }));
  return paragraphs;
}

/** What full marks require: the definition's help text, or, when a definition has none, the best answer. */
function fullMarks(criterion: Criterion, locale: Locale): Text {
  if (criterion.help) return t("results.plan.fullMarks", { help: localized(criterion.help, locale) });
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
