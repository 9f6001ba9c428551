import { normalizeInviteCode } from "../invites/invite-code.js";
import { answer } from "./answering.js";
import { menuCommand, menuItems, runCommand, showMenu } from "./commands.js";
import type { SessionView } from "./context.js";
import { parseCommand, type ParsedCommand } from "./input.js";
import { goToChosen, move, skip } from "./moving.js";
import { looksLikeCriterionId } from "./navigation.js";
import { readAnswer } from "./reading/read-answer.js";
import { exactIntent, readIntent, type Intent } from "./reading/intent.js";
import { normalizeReply } from "./reading/normalize.js";
import type { ReplyVocabulary } from "./reading/vocabulary.js";
import { addEvidence, saveNote } from "./attachments.js";
import { multiText } from "./several-choice.js";
import { yesNo } from "./submission.js";
import { t } from "./text.js";
import { multiSelection, type Turn } from "./turn.js";
import { readPlainYesNo } from "./reading/yes-no.js";

/**
 * Typed text from a lead or member with an assessment open, read in this order: an explicit command; what a pending
 * step waits for (a note, a menu number, a confirmation); a link, an invite code or a criterion code; a move, a
 * put-off, a command said in a sentence or a greeting (reading/intent.ts); and last an answer to the question showing
 * (reading/read-answer.ts), which is stored only when it fits one way.
 */
export function handleText(turn: Turn, session: SessionView, text: string, vocabulary: ReplyVocabulary): void {
  const pending = turn.state.pending;
  const early = pending.kind === "none" && !text.startsWith("/") ? exactIntent(normalizeReply(text, vocabulary), vocabulary) : null;
  if (early !== null) return followIntent(turn, session, early, vocabulary);
  const command = parseCommand(text);
  if (command !== null && command.name !== "unknown") {
    if (pending.kind === "note" && !command.slash && command.name !== "cancel") return saveNote(turn, session, pending.criterionId, text);
    // A typed "có"/"không" is an answer unless a confirmation is waiting; the answer reader reads the original text.
    const confirming = pending.kind === "confirm-overwrite" || pending.kind === "confirm-submit";
    if (!((command.name === "yes" || command.name === "no") && !command.slash && !confirming)) return runCommand(turn, session, command, vocabulary);
  }
  if (command !== null && command.name === "unknown") return turn.say(t("input.unknownCommand", { command: command.word }));
  switch (pending.kind) {
    case "note":
      return saveNote(turn, session, pending.criterionId, text);
    case "menu": {
      const n = Number(text);
      const items = menuItems(turn);
      const item = Number.isInteger(n) ? items[n - 1] : undefined;
      // A number that is not a menu item must not fall through as an answer (7 on a percent question = 7%).
      if (item === undefined && /^\d+$/.test(text)) return showMenu(turn, [t("menu.invalid", { count: items.length })]);
      turn.setPending({ kind: "none" });
      if (item !== undefined) return runCommand(turn, session, menuCommand(turn, item), vocabulary);
      break;
    }
    case "clarify-goto": {
      const target = /^\d+$/.test(text) ? pending.targets[Number(text) - 1] : undefined;
      turn.setPending({ kind: "none" });
      if (target !== undefined) return goToChosen(turn, session, target);
      break;
    }
    case "confirm-overwrite":
    case "confirm-submit": {
      // Zalo and the terminal show the yes/no choices as a numbered list: "1" and "2" pick them.
      const choice = /^\d+$/.test(text) ? turn.yesNoChoices()[Number(text) - 1] : undefined;
      if (choice !== undefined) return yesNo(turn, session, choice.value === "yes", turn.current(session), choice.value, vocabulary);
      const yes = readPlainYesNo(text, vocabulary);
      if (yes !== null) return yesNo(turn, session, yes, turn.current(session), yes ? "yes" : "no", vocabulary);
      return turn.reply({ paragraphs: [t("confirm.pleaseAnswer")], choices: turn.yesNoChoices(), questionId: "confirm" });
    }
    case "multi":
      return multiText(turn, session, pending.criterionId, pending.selected, text, vocabulary);
    case "plan":
      turn.setPending({ kind: "none" });
      break;
    case "none":
      break;
  }
  if (/^https?:\/\/\S+$/i.test(text)) return addEvidence(turn, session, { kind: "link", ref: text });
  // Someone already linked types a code again (a second invite, a colleague's): not an answer to the question.
  if (/^[a-z0-9]{5}[-\s]?[a-z0-9]{5}$/i.test(text) && /\d/.test(text) && normalizeInviteCode(text) !== null) {
    return turn.say(t("link.already", { agency: turn.person.agencyName ?? "" }));
  }
  // "P2.1.3" or "2.1.3" on its own is where the person wants to go (never a valid number or option).
  if (looksLikeCriterionId(text)) return runCommand(turn, session, goto(text), vocabulary);
  const entry = turn.current(session);
  if (entry === undefined) return turn.say(t("session.empty"));
  const intent = readIntent(normalizeReply(text, vocabulary), vocabulary);
  if (intent !== null) return followIntent(turn, session, intent, vocabulary);
  if (entry.criterion.answer.type === "multi") return multiText(turn, session, entry.criterion.id, multiSelection(session, entry), text, vocabulary);
  const reading = readAnswer(entry.criterion, text, vocabulary);
  switch (reading.kind) {
    case "answer":
      return answer(turn, session, entry, reading.value, { note: reading.note });
    case "hedge":
      return turn.refuse(entry, t("answer.hedge"));
    case "clarify": {
      const options = entry.criterion.answer.type === "choice" ? entry.criterion.answer.options : [];
      const numbers = reading.candidates.map((id) => options.findIndex((o) => o.id === id) + 1).join(", ");
      return turn.refuse(entry, t("answer.ambiguousOption", { typed: text.trim(), numbers }));
    }
    case "invalid":
      return turn.refuse(entry, reading.error);
  }
}

/** Does what a move, put-off, command in words or greeting asks. */
function followIntent(turn: Turn, session: SessionView, intent: Intent, vocabulary: ReplyVocabulary): void {
  const entry = turn.current(session);
  switch (intent.kind) {
    case "move":
      return move(turn, session, entry, intent.to);
    case "goto":
      return runCommand(turn, session, goto(intent.target), vocabulary);
    case "put-off":
      return skip(turn, session, entry);
    case "command":
      return runCommand(turn, session, { name: intent.name as ParsedCommand["name"], arg: "", slash: false }, vocabulary);
    case "greeting":
      return turn.ask(session, entry, [t("input.greeting", { name: turn.person.name })], true);
  }
}

function goto(arg: string): ParsedCommand {
  return { name: "goto", arg, slash: false };
}
