import { isDeepStrictEqual } from "node:util";
import type { CriterionEntry } from "../questionnaire/definition-index.js";
import { describeAnswer } from "./answer-input.js";
import { answer, savedLine } from "./answering.js";
import type { SessionView } from "./context.js";
import { inOrder, readMultiReply } from "./multi-select.js";
import { findEntry } from "./navigation.js";
import { refusalReply } from "./question-reply.js";
import type { ReplyVocabulary } from "./reading/vocabulary.js";
import { literal, t } from "./text.js";
import type { Turn } from "./turn.js";

/** A typed reply to a several-choice question: the whole answer, saved at once (multi-select.ts reads it). */
export function multiText(turn: Turn, session: SessionView, criterionId: string, selected: readonly string[], text: string, vocabulary: ReplyVocabulary): void {
  const entry = findEntry(session.definition, criterionId);
  if (entry === undefined || entry.criterion.answer.type !== "multi") return turn.ask(session, turn.current(session));
  const options = entry.criterion.answer.options;
  const reading = readMultiReply(options, text, vocabulary, `${entry.criterion.question.vi} ${entry.criterion.question.en}`);
  switch (reading.kind) {
    case "list":
      return saveMulti(turn, session, criterionId, reading.ids, undefined, reading.note, reading.numbers);
    case "none":
      return saveMulti(turn, session, criterionId, [], undefined, reading.note);
    case "done":
      return saveMulti(turn, session, criterionId, selected);
    case "ambiguous": {
      const numbers = reading.ids.map((id) => options.findIndex((o) => o.id === id) + 1).join(", ");
      return turn.refuse(entry, t("answer.ambiguousOption", { typed: reading.part, numbers }), selected);
    }
    case "invalid":
      return turn.refuse(entry, t("answer.invalidMulti", { count: options.length, done: options.length + 1 }), selected);
  }
}

/** A tap on an option: ticks or unticks it; nothing is saved before "Xong". */
export function toggle(turn: Turn, session: SessionView, entry: CriterionEntry, selected: readonly string[], ids: readonly string[]): void {
  if (!turn.canWrite(session)) return;
  const next = new Set(selected);
  for (const id of ids) {
    if (next.has(id)) next.delete(id);
    else next.add(id);
  }
  const spec = entry.criterion.answer;
  const ordered = spec.type === "multi" ? inOrder(spec.options, [...next]) : [];
  turn.setPending({ kind: "multi", criterionId: entry.criterion.id, selected: ordered });
  turn.state = { ...turn.state, criterionId: entry.criterion.id };
  const reply = refusalReply(entry, turn.locale, t("answer.multiSelected", { id: entry.criterion.id, count: ordered.length }), ordered);
  // A tick on the question being answered needs no message where a button tap can show a notice; one that brings
  // something else to say (an earlier question reopened, picks kept) is a message.
  if (turn.notices.length > 0) return turn.reply(reply);
  const notice = ordered.length === 0 ? t("answer.tapNoneTicked") : t("answer.tapTicked", { count: ordered.length, answer: describeAnswer(entry.criterion, ordered, turn.locale) });
  turn.reply({ ...reply, tapNotice: notice });
}

export function saveMulti(
  turn: Turn,
  session: SessionView,
  criterionId: string,
  selected: readonly string[],
  resume?: CriterionEntry,
  note?: string,
  numbers?: readonly number[],
): void {
  const entry = findEntry(session.definition, criterionId);
  turn.setPending({ kind: "none" });
  if (entry === undefined) return turn.ask(session, turn.current(session));
  // Options typed by number are said back by number: the person sees exactly what they typed was saved.
  const echo = numbers !== undefined && numbers.length > 0 ? literal(numbers.join(", ")) : undefined;
  answer(turn, session, entry, [...selected], { resume, note, echo });
}

/**
 * Saves the options ticked with buttons when the person moves on without "Xong" (a command, another question's
 * button): the confirmation leads the next reply.
 */
export function keepPicks(turn: Turn, session: SessionView, criterionId: string, selected: readonly string[]): void {
  turn.setPending({ kind: "none" });
  const entry = findEntry(session.definition, criterionId);
  if (entry === undefined || !turn.writable(session)) return;
  const existing = session.answers.get(criterionId);
  if (existing?.value !== null && existing !== undefined && isDeepStrictEqual(existing.value, selected)) return;
  if (existing?.value !== null && existing !== undefined && existing.answeredById !== turn.person.id) {
    // Someone else's answer is never replaced without asking: say the picks were not saved.
    turn.notices.push(t("answer.picksNotSaved", { id: criterionId }));
    return;
  }
  turn.effects.push({ kind: "save-answer", criterionId, value: [...selected] });
  turn.notices.push(savedLine(turn, "answer.picksSaved", entry, [...selected]));
}
