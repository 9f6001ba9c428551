import type { AnswerValue } from "../questionnaire/answer-value.js";
import type { IndexDefinition, Locale } from "../questionnaire/definition-schema.js";
import { fromHundredths, toHundredths } from "../questionnaire/hundredths.js";
import { criterionScoreH, mostMissingPoints, scoreAssessment, type Answers, type AssessmentScore } from "../questionnaire/scoring.js";
import type { SessionView } from "./context.js";
import type { Reply } from "./effects.js";
import { describeAnswer } from "./answer-input.js";
import { criteriaOf } from "./navigation.js";
import { lines, localized, t, type Text } from "./text.js";
import { compareWithPrevious } from "../results/history.js";
import { historyParagraph } from "../results/result-texts.js";

const BAR_CELLS = 10;

/** A text bar such as ▓▓▓▓▓▓░░░░, readable in any chat app without images or Markdown. */
export function textBar(scoreH: number, maxH: number): string {
  const filled = maxH === 0 ? 0 : Math.round((scoreH / maxH) * BAR_CELLS);
  return "▓".repeat(filled) + "░".repeat(BAR_CELLS - filled);
}

/** The answers that count for scoring (a row holding only a note is not an answer). */
export function answerValues(session: SessionView): Answers {
  const values = new Map<string, AnswerValue>();
  for (const [id, answer] of session.answers) if (answer.value !== null) values.set(id, answer.value);
  return values;
}

const points = (hundredths: number): number => fromHundredths(hundredths);

/** One line per pillar: a text bar, the pillar's score out of its maximum, and its name. */
export function scorePillarLines(definition: IndexDefinition, score: AssessmentScore, locale: Locale): Text[] {
  return score.pillars.map((p, i) => {
    const pillar = definition.pillars[i];
    return t("score.pillarLine", {
      bar: textBar(p.scoreH, p.maxH),
      id: p.id,
      name: pillar ? localized(pillar.name, locale) : p.id,
      score: points(p.scoreH),
      max: points(p.maxH),
    });
  });
}

/** The score as text; `unofficialNote` adds the questionnaire's reference-text note (once per session; the card always has it). */
export function scoreReply(session: SessionView, agencyName: string, locale: Locale, unofficialNote = true): Reply {
  const { definition } = session;
  const answers = answerValues(session);
  const score = scoreAssessment(definition, answers);
  const title = t("score.title", { agency: agencyName, period: session.periodName });
  const total = t("score.total", { total: points(score.totalH), max: points(score.maxH), level: localized(score.level.name, locale) });
  const paragraphs: Text[] = [title, total];
  const pillarLines = scorePillarLines(definition, score, locale);
  paragraphs.push(lines(pillarLines));
  const change = compareWithPrevious(score, session.previous);
  if (change) paragraphs.push(historyParagraph(change, definition, locale));
  const completion = t("score.completion", {
    answered: score.answered,
    count: score.criteria,
    percent: score.criteria === 0 ? 0 : Math.round((score.answered / score.criteria) * 100),
  });
  paragraphs.push(completion);
  const missing = mostMissingPoints(definition, answers, 3);
  if (missing.length > 0) {
    paragraphs.push(
      lines([
        t("score.mostMissingTitle"),
        ...missing.map((m) =>
          t(m.answered ? "score.missingLine" : "score.missingLineUnanswered", {
            id: m.criterion.id,
            missing: points(m.missingH),
            question: shorten(localized(m.criterion.question, locale), 90),
          }),
        ),
      ]),
    );
  }
  if (session.status === "submitted") paragraphs.push(t("score.submitted", { when: session.submittedAt ?? new Date(0), name: session.submittedByName ?? "" }));
  if (unofficialNote && !definition.source.official) paragraphs.push(t("score.unofficialShort", { decision: definition.source.decision }));
  return { paragraphs, image: { kind: "score-card", summary: [title, total, completion] } };
}

export function progressReply(session: SessionView, locale: Locale, currentId: string | undefined): Reply {
  const { definition } = session;
  const answers = answerValues(session);
  const score = scoreAssessment(definition, answers);
  const pillarLines = score.pillars.map((p, i) =>
    t("progress.pillarLine", {
      id: p.id,
      name: definition.pillars[i] ? localized(definition.pillars[i].name, locale) : p.id,
      answered: p.answered,
      count: p.criteria,
    }),
  );
  const paragraphs: Text[] = [
    t("progress.title", { period: session.periodName, answered: score.answered, count: score.criteria }),
    lines(pillarLines),
  ];
  if (currentId !== undefined) paragraphs.push(t("progress.current", { id: currentId }));
  paragraphs.push(t("progress.window", { closes: session.entryCloses }));
  return { paragraphs };
}

/** A pillar's criteria with their answers, so a person can check them and jump to any one to change it. */
export function reviewReply(session: SessionView, pillarIndex: number, locale: Locale): Reply {
  const { definition } = session;
  const pillar = definition.pillars[pillarIndex];
  if (!pillar) return { paragraphs: [t("review.unknownPillar", { count: definition.pillars.length })] };
  const criterionLines = criteriaOf(definition)
    .filter((e) => e.pillarIndex === pillarIndex)
    .map((e) => {
      const answer = session.answers.get(e.criterion.id);
      const max = points(toHundredths(e.criterion.maxScore));
      if (answer?.value === null || answer?.value === undefined) {
        return t("review.lineUnanswered", { id: e.criterion.id, question: shorten(localized(e.criterion.question, locale), 70), max });
      }
      return t("review.line", {
        id: e.criterion.id,
        answer: describeAnswer(e.criterion, answer.value, locale),
        score: points(criterionScoreH(e.criterion, answer.value)),
        max,
        name: answer.answeredByName,
      });
    });
  return {
    paragraphs: [
      t("review.title", { number: pillarIndex + 1, name: localized(pillar.name, locale) }),
      lines(criterionLines),
      t("review.howToChange"),
    ],
  };
}

/** What is still open before submitting: unanswered criteria, and answered ones whose required evidence is missing. */
export function submitCheck(session: SessionView): { unanswered: string[]; missingEvidence: string[] } {
  const unanswered: string[] = [];
  const missingEvidence: string[] = [];
  for (const { criterion } of criteriaOf(session.definition)) {
    const answer = session.answers.get(criterion.id);
    if (answer?.value === null || answer?.value === undefined) unanswered.push(criterion.id);
    // Evidence backs a claim: an answer worth no points ("Không") claims nothing, so none is missing.
    else if (criterion.evidence === "required" && answer.evidenceCount === 0 && criterionScoreH(criterion, answer.value) > 0) missingEvidence.push(criterion.id);
  }
  return { unanswered, missingEvidence };
}

export function listIds(ids: readonly string[], max = 6): string {
  return ids.length <= max ? ids.join(", ") : `${ids.slice(0, max).join(", ")}, … (+${ids.length - max})`;
}


function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
