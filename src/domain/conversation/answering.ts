import { isDeepStrictEqual } from "node:util";
import type { AnswerValue } from "../questionnaire/answer-value.js";
import type { CriterionEntry } from "../questionnaire/definition-index.js";
import { fromHundredths, toHundredths } from "../questionnaire/hundredths.js";
import { criterionScoreH } from "../questionnaire/scoring.js";
import { describeAnswer } from "./answer-input.js";
import { walkAfterAnswer } from "./assigned-parts.js";
import type { SessionView } from "./context.js";
import { findEntry } from "./navigation.js";
import { isAnswered, type Turn } from "./turn.js";
import { t, type Text } from "./text.js";

/** "✓ P1.1.1: Có (3/3 điểm)": which question, what is on file now, and its points. */
export function savedLine(turn: Turn, key: string, entry: CriterionEntry, value: AnswerValue, echo?: Text): Text {
  return t(key, {
    id: entry.criterion.id,
    // The new answer on the way forward: option labels cut short (the full list was just read); in full on a change.
    answer: echo !== undefined && key === "answer.saved" ? echo : describeAnswer(entry.criterion, value, turn.locale, key === "answer.saved"),
    score: fromHundredths(criterionScoreH(entry.criterion, value)),
    max: fromHundredths(toHundredths(entry.criterion.maxScore)),
  });
}

export interface AnswerOptions {
  /** The person said yes to replacing a colleague's answer. */
  readonly confirmed?: boolean;
  /** Go back here after saving: the answer changed an earlier question, and the person keeps their place. */
  readonly resume?: CriterionEntry | undefined;
  /** A remark typed after the answer ("Có (ban hành năm 2023)"): kept as the question's note. */
  readonly note?: string | undefined;
  /** How the saved answer is said back on the way forward, when not by its labels ("1, 3" typed as numbers). */
  readonly echo?: Text | undefined;
}

/**
 * Saves an answer and moves on: to the next unanswered question in the person's order, or back to `resume`. A
 * colleague's different answer is never replaced without an explicit yes to a question naming both values and people.
 */
export function answer(turn: Turn, session: SessionView, entry: CriterionEntry, value: AnswerValue, options: AnswerOptions = {}): void {
  if (!turn.canWrite(session)) return;
  const criterion = entry.criterion;
  const existing = session.answers.get(criterion.id);
  const { confirmed = false, resume, note, echo } = options;
  if (!confirmed && existing?.value !== null && existing !== undefined && existing.answeredById !== turn.person.id && !isDeepStrictEqual(existing.value, value)) {
    turn.setPending({
      kind: "confirm-overwrite",
      criterionId: criterion.id,
      value: value as never,
      ...(note === undefined ? {} : { note }),
      ...(resume === undefined ? {} : { resume: resume.criterion.id }),
    });
    return turn.reply({
      paragraphs: [
        t("answer.overwriteConfirm", {
          id: criterion.id,
          name: existing.answeredByName,
          when: existing.answeredAt,
          old: describeAnswer(criterion, existing.value, turn.locale),
          new: describeAnswer(criterion, value, turn.locale),
          me: turn.person.name,
        }),
      ],
      choices: turn.yesNoChoices(),
      questionId: "confirm",
    });
  }
  // The same value again (a second "có" after the last question, a double tap) changes nothing, and says so.
  const unchanged = existing !== undefined && existing.value !== null && isDeepStrictEqual(existing.value, value);
  if (!unchanged) turn.effects.push({ kind: "save-answer", criterionId: criterion.id, value });
  turn.setPending({ kind: "none" });
  const changed = existing !== undefined && existing.value !== null && !unchanged;
  const lead: Text[] = [savedLine(turn, unchanged ? "answer.unchanged" : changed ? "answer.changed" : "answer.saved", entry, value, echo)];
  if (note !== undefined) {
    turn.effects.push({ kind: "save-note", criterionId: criterion.id, note });
    lead.push(t("answer.remarkKept", { note }));
  }
  turn.state = { ...turn.state, justAnswered: criterion.id };
  // A change of an earlier answer goes back to where the person was: the button's question, or the open question
  // they had reached before moving back ("câu 3", then "50").
  const remembered = existing !== undefined && existing.value !== null ? findEntry(session.definition, turn.state.resumeAt) : undefined;
  turn.clearResume();
  const back = resume ?? (remembered !== undefined && !isAnswered(session, remembered.criterion.id) ? remembered : undefined);
  if (back !== undefined && back.criterion.id !== criterion.id) return turn.ask(session, back, [...lead, t("nav.backTo")], false);
  moveOnFrom(turn, session, entry, lead, criterion.id);
}

/**
 * The next question after `entry` in the person's order (their assigned part first), or the end of their part or of
 * the assessment. `answeredNow` is counted as answered (it was just saved, or is being put off).
 */
export function moveOnFrom(turn: Turn, session: SessionView, entry: CriterionEntry, lead: readonly Text[], answeredNow?: string): void {
  const answered = (id: string): boolean => id === answeredNow || isAnswered(session, id);
  const walk = walkAfterAnswer(session.definition, answered, entry, turn.person.assignedParts ?? []);
  if (walk.kind === "part-done") return turn.reply({ paragraphs: [...lead, ...walk.paragraphs] });
  if (walk.kind === "all-done") {
    turn.state = { ...turn.state, criterionId: entry.criterion.id };
    return turn.reply({ paragraphs: [...lead, t(turn.person.role === "lead" ? "answer.allDoneLead" : "answer.allDoneMember")] });
  }
  turn.ask(session, walk.entry, lead);
}

/** The criterion a confirmation or a pending step names, if the definition still has it. */
export function entryOf(session: SessionView, criterionId: string | undefined): CriterionEntry | undefined {
  return findEntry(session.definition, criterionId);
}
