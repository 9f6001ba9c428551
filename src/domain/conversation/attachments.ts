import type { CriterionEntry } from "../questionnaire/definition-index.js";
import type { SessionView } from "./context.js";
import type { EvidenceInput } from "./effects.js";
import { criteriaOf, findEntry } from "./navigation.js";
import { t, type Text } from "./text.js";
import type { Turn } from "./turn.js";

/** Notes, photos, files and links: they belong to the question just answered, else to the one showing. */

function attachTarget(turn: Turn, session: SessionView): CriterionEntry | undefined {
  return findEntry(session.definition, turn.lastAnswered) ?? turn.current(session);
}

/** After something was attached to the question just answered: keep that link, and say where the person is. */
function afterAttach(turn: Turn, session: SessionView, target: CriterionEntry): Text[] {
  const current = turn.current(session);
  if (target.criterion.id !== turn.lastAnswered) return [];
  turn.state = { ...turn.state, justAnswered: target.criterion.id };
  if (current === undefined || current.criterion.id === target.criterion.id) return [];
  return [t("nav.stillAt", { number: current.index + 1, count: criteriaOf(session.definition).length, id: current.criterion.id })];
}

/** "ghi chú …" with the note, or alone: then the next message is the note. */
export function startNote(turn: Turn, session: SessionView, entry: CriterionEntry | undefined, arg: string): void {
  if (entry === undefined) return turn.ask(session, entry);
  if (!turn.canWrite(session)) return;
  // Right after an answer, a note is about the question just answered, not the one now showing.
  const target = turn.lastAnswered ?? entry.criterion.id;
  if (arg !== "") return saveNote(turn, session, target, arg);
  turn.setPending({ kind: "note", criterionId: target });
  if (target === turn.lastAnswered) turn.state = { ...turn.state, justAnswered: target };
  turn.say(t("note.prompt", { id: target }));
}

export function saveNote(turn: Turn, session: SessionView, criterionId: string, note: string): void {
  turn.setPending({ kind: "none" });
  if (!turn.canWrite(session)) return;
  const target = findEntry(session.definition, criterionId);
  if (target === undefined) return turn.ask(session, turn.current(session));
  turn.effects.push({ kind: "save-note", criterionId, note });
  turn.say(t("note.saved", { id: criterionId, note }), ...afterAttach(turn, session, target));
}

export function addEvidence(turn: Turn, session: SessionView, evidence: EvidenceInput): void {
  const entry = attachTarget(turn, session);
  if (entry === undefined) return turn.ask(session, entry);
  if (!turn.canWrite(session)) return;
  turn.effects.push({ kind: "add-evidence", criterionId: entry.criterion.id, evidence });
  const saved = t(`evidence.saved.${evidence.kind}`, { id: entry.criterion.id });
  const caption = evidence.caption === undefined ? [] : [t("evidence.captionKept", { caption: evidence.caption })];
  turn.say(saved, ...caption, ...afterAttach(turn, session, entry));
}
