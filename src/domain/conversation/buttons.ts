import { checkAnswerValue } from "../questionnaire/answer-value.js";
import type { CriterionEntry } from "../questionnaire/definition-index.js";
import { YES } from "./answer-input.js";
import { answer } from "./answering.js";
import { menuCommand, menuItems, runCommand } from "./commands.js";
import type { SessionView } from "./context.js";
import { goToChosen } from "./moving.js";
import { findEntry } from "./navigation.js";
import { DONE_VALUE } from "./question-reply.js";
import type { ReplyVocabulary } from "./reading/vocabulary.js";
import { keepPicks, saveMulti, toggle } from "./several-choice.js";
import { yesNo } from "./submission.js";
import { t } from "./text.js";
import { multiSelection, type Turn } from "./turn.js";

/** A button tapped (Telegram): a menu item, a confirmation, a goto choice, or an option of a question. */
export function handlePick(turn: Turn, session: SessionView, questionId: string, value: string, vocabulary: ReplyVocabulary): void {
  const pending = turn.state.pending;
  if (questionId === "menu") {
    if (pending.kind === "multi") keepPicks(turn, session, pending.criterionId, pending.selected);
    else turn.setPending({ kind: "none" });
    const item = menuItems(turn).find((i) => i === value);
    return item ? runCommand(turn, session, menuCommand(turn, item), vocabulary) : turn.say(t("input.staleButton"));
  }
  if (questionId === "confirm") {
    if (pending.kind !== "confirm-overwrite" && pending.kind !== "confirm-submit") return turn.say(t("input.staleButton"));
    return yesNo(turn, session, value === YES, turn.current(session), value, vocabulary);
  }
  if (questionId === "goto") {
    turn.setPending({ kind: "none" });
    return goToChosen(turn, session, value);
  }
  const entry = turn.current(session);
  const tapped = findEntry(session.definition, questionId);
  if (entry === undefined || tapped === undefined) return turn.ask(session, entry, [t("input.staleButton")], false);
  if (tapped.criterion.id !== entry.criterion.id) return earlierButton(turn, session, tapped, entry, value);
  if (entry.criterion.answer.type === "multi") {
    const selected = pending.kind === "multi" && pending.criterionId === entry.criterion.id ? pending.selected : multiSelection(session, entry);
    if (value === DONE_VALUE) return saveMulti(turn, session, entry.criterion.id, selected);
    return toggle(turn, session, entry, selected, [value]);
  }
  const check = checkAnswerValue(entry.criterion, entry.criterion.answer.type === "yesno" ? value === YES : value);
  if (!check.ok) return turn.ask(session, entry, [t("input.staleButton")], false);
  answer(turn, session, entry, check.value);
}

/**
 * A button of a question answered earlier (Telegram keeps old keyboards): a change of that question's answer.
 * One-answer questions are saved at once and the person stays where they were; a several-choice question becomes
 * the current one, with the tap applied, so the change is finished with "Xong" there.
 */
function earlierButton(turn: Turn, session: SessionView, tapped: CriterionEntry, current: CriterionEntry, value: string): void {
  const pending = turn.state.pending;
  if (pending.kind === "multi" && pending.criterionId !== tapped.criterion.id) keepPicks(turn, session, pending.criterionId, pending.selected);
  if (tapped.criterion.answer.type === "multi") {
    const selected = pending.kind === "multi" && pending.criterionId === tapped.criterion.id ? pending.selected : multiSelection(session, tapped);
    if (value === DONE_VALUE) return saveMulti(turn, session, tapped.criterion.id, selected, current);
    if (!tapped.criterion.answer.options.some((o) => o.id === value)) return turn.ask(session, current, [t("input.staleButton")], false);
    turn.notices.push(t("answer.editingEarlier", { id: tapped.criterion.id }));
    return toggle(turn, session, tapped, selected, [value]);
  }
  const check = checkAnswerValue(tapped.criterion, tapped.criterion.answer.type === "yesno" ? value === YES : value);
  if (!check.ok) return turn.ask(session, current, [t("input.staleButton")], false);
  answer(turn, session, tapped, check.value, { resume: current });
}
