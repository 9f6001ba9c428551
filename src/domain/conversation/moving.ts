import type { CriterionEntry } from "../questionnaire/definition-index.js";
import { moveOnFrom } from "./answering.js";
import { continueTarget } from "./assigned-parts.js";
import type { SessionView } from "./context.js";
import { criteriaOf, findEntry, nextInOrder, previousInOrder, resolveGotoTarget } from "./navigation.js";
import { readIntent } from "./reading/intent.js";
import { normalizeReply } from "./reading/normalize.js";
import type { ReplyVocabulary } from "./reading/vocabulary.js";
import { t } from "./text.js";
import { isAnswered, localizedName, type Turn } from "./turn.js";

/**
 * Moving around the questionnaire: on to the next question, back, to a numbered question or pillar, or putting the
 * current question off. Nothing here writes an answer.
 */

/** "tiếp tục": the next unanswered question in the person's order (their part first), never an answered one again. */
export function continueOn(turn: Turn, session: SessionView, entry: CriterionEntry | undefined): void {
  turn.clearResume();
  const answered = (id: string): boolean => isAnswered(session, id);
  const target = continueTarget(session.definition, answered, entry, turn.person.assignedParts ?? []);
  if (target !== undefined && !answered(target.criterion.id)) return turn.ask(session, target, [], true);
  if (entry !== undefined && target === undefined) return moveOnFrom(turn, session, entry, []);
  turn.ask(session, target, [], true);
}

/**
 * "bỏ qua", "để sau": leaves the question (its answer, if any, is kept) for the next one in the person's order. An
 * answered question says the answer stays; an unanswered one that it can be answered later.
 */
export function skip(turn: Turn, session: SessionView, entry: CriterionEntry | undefined): void {
  if (entry === undefined) return turn.ask(session, entry);
  const kept = isAnswered(session, entry.criterion.id);
  const lead = [t(kept ? "nav.skippedKept" : "nav.skipped", { id: entry.criterion.id })];
  const next = nextUnansweredAfter(session, entry, turn);
  if (next === undefined) return turn.ask(session, nextInOrder(session.definition, entry) ?? criteriaOf(session.definition)[0], lead);
  turn.ask(session, next, lead);
}

/** The next unanswered question after `entry` other than itself, in the person's order; undefined when none is left. */
function nextUnansweredAfter(session: SessionView, entry: CriterionEntry, turn: Turn): CriterionEntry | undefined {
  const answeredOrSkipped = (id: string): boolean => id === entry.criterion.id || isAnswered(session, id);
  const target = continueTarget(session.definition, answeredOrSkipped, entry, turn.person.assignedParts ?? []);
  return target !== undefined && !answeredOrSkipped(target.criterion.id) ? target : undefined;
}

export function back(turn: Turn, session: SessionView, entry: CriterionEntry | undefined): void {
  if (entry === undefined) return turn.ask(session, entry);
  const previous = previousInOrder(session.definition, entry);
  if (previous === undefined) return turn.ask(session, entry, [t("nav.atFirst")], false);
  turn.visit(session, previous);
}

/** A move said in words: "câu tiếp", "câu cuối", "về câu đầu", "quay lại câu trước". */
export function move(turn: Turn, session: SessionView, entry: CriterionEntry | undefined, to: "previous" | "next" | "first" | "last"): void {
  const all = criteriaOf(session.definition);
  switch (to) {
    case "previous":
      return back(turn, session, entry);
    case "next": {
      const next = entry === undefined ? all[0] : nextInOrder(session.definition, entry);
      if (next === undefined) return turn.ask(session, entry, [t("nav.atLast")], false);
      return turn.visit(session, next);
    }
    case "first":
      return turn.visit(session, all[0], [], true);
    case "last":
      return turn.visit(session, all.at(-1), [], true);
  }
}

/** "đến câu 5", "trụ cột 2", "2.1.3", "câu 7 nhé", "câu cuối". A bare number that could be a question or a pillar is asked about. */
export function goTo(turn: Turn, session: SessionView, entry: CriterionEntry | undefined, arg: string, vocabulary: ReplyVocabulary): void {
  if (arg === "") return turn.say(t("nav.gotoUsage"));
  let target = resolveGotoTarget(session.definition, arg, (id) => isAnswered(session, id));
  if (target.kind === "unknown") {
    const intent = readIntent(normalizeReply(arg, vocabulary), vocabulary);
    if (intent?.kind === "move") return move(turn, session, entry, intent.to);
    if (intent?.kind === "goto") target = resolveGotoTarget(session.definition, intent.target, (id) => isAnswered(session, id));
  }
  if (target.kind === "unknown") return turn.say(t("nav.gotoUnknown", { target: arg }), turn.whereNow(session));
  if (target.kind === "found") return turn.visit(session, target.entry, [], true);
  turn.setPending({ kind: "clarify-goto", targets: [target.question.criterion.id, target.pillar.criterion.id] });
  turn.reply({
    paragraphs: [t("nav.gotoWhich", { number: target.number })],
    choices: [
      { value: target.question.criterion.id, label: t("nav.gotoQuestion", { number: target.number, count: criteriaOf(session.definition).length, id: target.question.criterion.id }) },
      { value: target.pillar.criterion.id, label: t("nav.gotoPillar", { number: target.number, name: localizedName(target.pillar, turn.locale) }) },
    ],
    questionId: "goto",
  });
}

/** The question a clarify-goto choice names. */
export function goToChosen(turn: Turn, session: SessionView, criterionId: string): void {
  const target = findEntry(session.definition, criterionId);
  if (target === undefined) return turn.say(t("input.staleButton"));
  turn.visit(session, target, [], true);
}
