import type { SessionView } from "../domain/conversation/context.js";
import { answerValues } from "../domain/conversation/summary-replies.js";
import { localized, t, type Text } from "../domain/conversation/text.js";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import { fromHundredths } from "../domain/questionnaire/hundredths.js";
import { scoreAssessment } from "../domain/questionnaire/scoring.js";
import { compareWithPrevious } from "../domain/results/history.js";
import { deltaText } from "../domain/results/result-texts.js";
import type { Translator } from "../i18n/translator.js";
import { renderScoreCardPng } from "../results/render-score-card.js";
import type { ScoreCardData } from "../results/score-card-svg.js";
import { saveGeneratedFile } from "./generated-files.js";

/** The smallest photo caption limit of the channels (Telegram: 1,024; Zalo: 2,000). */
export const PHOTO_CAPTION_LIMIT_CHARS = 1024;

/**
 * What the score card shows, translated for the reader: the same numbers as the text reply (scoreAssessment), with
 * the change since the earlier period when there is one, and a one-line note when the definition is not official.
 */
export function scoreCardData(translator: Translator, locale: Locale, session: SessionView, agencyName: string): ScoreCardData {
  const text = (value: Text): string => translator.text(locale, value);
  const { definition } = session;
  const score = scoreAssessment(definition, answerValues(session));
  const change = compareWithPrevious(score, session.previous);
  const since = (deltaH: number | null): string | undefined =>
    change === null || deltaH === null ? undefined : text(t("results.card.delta", { delta: deltaText(deltaH), period: change.previous.periodName }));
  const percent = score.criteria === 0 ? 0 : Math.round((score.answered / score.criteria) * 100);
  const totalDeltaText = since(change?.totalDeltaH ?? null);
  return {
    title: text(t("results.card.title")),
    agency: agencyName,
    period: session.periodName,
    totalText: text(t("results.card.total", { total: fromHundredths(score.totalH), max: fromHundredths(score.maxH) })),
    levelText: text(t("results.card.level", { level: localized(score.level.name, locale) })),
    ...(totalDeltaText === undefined ? {} : { totalDeltaText }),
    completionText:
      session.status === "submitted" && session.submittedAt !== null
        ? text(t("results.card.completionSubmitted", { when: session.submittedAt, answered: score.answered, count: score.criteria }))
        : text(t("results.card.completion", { answered: score.answered, count: score.criteria, percent })),
    footer: text(t(definition.source.official ? "results.card.official" : "results.card.unofficial", { decision: definition.source.decision })),
    pillars: score.pillars.map((p, i) => {
      const pillar = definition.pillars[i];
      const deltaText = since(change?.pillars[i]?.deltaH ?? null);
      return {
        id: p.id,
        name: pillar ? localized(pillar.name, locale) : p.id,
        scoreText: text(t("results.card.pillarScore", { score: fromHundredths(p.scoreH), max: fromHundredths(p.maxH) })),
        ratio: p.maxH === 0 ? 0 : p.scoreH / p.maxH,
        ...(deltaText === undefined ? {} : { deltaText }),
      };
    }),
  };
}

/** Renders the card and stores it under `<dataDir>/cards/`; returns the PNG's absolute path. */
export async function renderScoreCardFile(dataDir: string, data: ScoreCardData, now?: Date): Promise<string> {
  return saveGeneratedFile(dataDir, "cards", "png", await renderScoreCardPng(data), now);
}

/**
 * A photo's caption: the whole text when it fits (`complete`); otherwise the short summary (cut if it must be), and
 * the whole text is then sent after the picture, so nothing is lost where the picture cannot be shown.
 */
export function captionFrom(paragraphs: readonly string[], summary: readonly string[], limit = PHOTO_CAPTION_LIMIT_CHARS): { caption: string; complete: boolean } {
  const full = paragraphs.join("\n\n");
  if (full.length <= limit) return { caption: full, complete: true };
  const short = summary.join("\n\n");
  return { caption: short.length <= limit ? short : `${short.slice(0, limit - 1).trimEnd()}…`, complete: false };
}
