import type { AnswerValue } from "../questionnaire/answer-value.js";
import type { CriterionEntry } from "../questionnaire/definition-index.js";
import { fromHundredths } from "../questionnaire/hundredths.js";
import { scoreAssessment } from "../questionnaire/scoring.js";
import { answer, moveOnFrom } from "./answering.js";
import type { SessionView } from "./context.js";
import { findEntry } from "./navigation.js";
import { readAnswer } from "./reading/read-answer.js";
import type { ReplyVocabulary } from "./reading/vocabulary.js";
import { answerValues, listIds, submitCheck } from "./summary-replies.js";
import { t, type Text } from "./text.js";
import { localizedName, type Turn } from "./turn.js";

/** Submitting and reopening the agency's assessment (leads only), and the yes/no that confirms a pending step. */

export function submit(turn: Turn, session: SessionView): void {
  if (turn.person.role !== "lead") return turn.say(t("submit.leadOnly"));
  if (!turn.canWrite(session)) return;
  const { unanswered, missingEvidence } = submitCheck(session);
  const paragraphs: Text[] = [t("submit.confirmTitle", { period: session.periodName })];
  if (unanswered.length > 0) paragraphs.push(t("submit.unanswered", { count: unanswered.length, ids: listIds(unanswered) }));
  if (missingEvidence.length > 0) paragraphs.push(t("submit.missingEvidence", { count: missingEvidence.length, ids: listIds(missingEvidence) }), t("evidence2.checklist.pointer"));
  if (unanswered.length === 0 && missingEvidence.length === 0) paragraphs.push(t("submit.allComplete"));
  paragraphs.push(t("submit.confirmQuestion"));
  turn.setPending({ kind: "confirm-submit" });
  turn.reply({ paragraphs, choices: turn.yesNoChoices(), questionId: "confirm" });
}

export function reopen(turn: Turn, session: SessionView): void {
  if (turn.person.role !== "lead") return turn.say(t("submit.leadOnly"));
  if (session.status !== "submitted") return turn.say(t("reopen.notSubmitted"));
  if (turn.ctx.now > session.entryCloses || turn.ctx.now < session.entryOpens) return turn.say(t("reopen.windowClosed", { closed: session.entryCloses }));
  turn.effects.push({ kind: "reopen" });
  // Show where the person is before the next "có" changes anything.
  turn.ask(session, turn.current(session), [t("reopen.done")], true);
}

/**
 * "có"/"không": a pending confirmation first (replacing a colleague's answer, submitting), otherwise an answer to a
 * yes/no question. Declining to replace a colleague's answer moves on, so the next reply is not offered as a
 * replacement again.
 */
export function yesNo(turn: Turn, session: SessionView, yes: boolean, entry: CriterionEntry | undefined, word: string, vocabulary: ReplyVocabulary): void {
  const pending = turn.state.pending;
  if (pending.kind === "confirm-overwrite") {
    turn.setPending({ kind: "none" });
    const target = findEntry(session.definition, pending.criterionId);
    const resume = findEntry(session.definition, pending.resume);
    if (target === undefined) return turn.ask(session, entry);
    if (!yes) {
      const kept = t("answer.keptExisting");
      if (resume !== undefined && resume.criterion.id !== target.criterion.id) return turn.ask(session, resume, [kept, t("nav.backTo")], false);
      return afterDecline(turn, session, target, kept);
    }
    return answer(turn, session, target, pending.value as AnswerValue, { confirmed: true, resume, note: pending.note });
  }
  if (pending.kind === "confirm-submit") {
    turn.setPending({ kind: "none" });
    if (!yes) return turn.say(t("submit.cancelled"), turn.whereNow(session));
    if (!turn.canWrite(session)) return;
    turn.effects.push({ kind: "submit" });
    const score = scoreAssessment(session.definition, answerValues(session));
    return turn.say(t("submit.done", { period: session.periodName, total: fromHundredths(score.totalH), max: fromHundredths(score.maxH), level: localizedName(score.level, turn.locale) }));
  }
  if (entry === undefined) return turn.ask(session, entry);
  const reading = readAnswer(entry.criterion, word, vocabulary);
  if (reading.kind !== "answer") return turn.refuse(entry, reading.kind === "invalid" ? reading.error : t("answer.invalidYesNo"));
  answer(turn, session, entry, reading.value);
}

/** The colleague's answer stays; the person goes on to their next question, as after an answer of their own. */
function afterDecline(turn: Turn, session: SessionView, target: CriterionEntry, kept: Text): void {
  turn.state = { ...turn.state, criterionId: target.criterion.id };
  moveOnFrom(turn, session, target, [kept], target.criterion.id);
}
