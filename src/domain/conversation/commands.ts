import { planReply } from "../results/plan.js";
import { keepPicks, saveMulti } from "./several-choice.js";
import type { SessionView } from "./context.js";
import type { ParsedCommand } from "./input.js";
import { back, continueOn, goTo, skip } from "./moving.js";
import { findEntry } from "./navigation.js";
import { hintFor } from "./question-reply.js";
import type { ReplyVocabulary } from "./reading/vocabulary.js";
import { reopen, submit, yesNo } from "./submission.js";
import { startNote } from "./attachments.js";
import { dossier, evidenceChecklist, uploadLink } from "./evidence-commands.js";
import { progressReply, reviewReply, scoreReply } from "./summary-replies.js";
import { teamProgress } from "./team-progress.js";
import { lines, literal, localized, t, type Text } from "./text.js";
import { multiSelection, type Turn } from "./turn.js";

export const MENU_ITEMS = ["continue", "score", "progress", "review", "help", "submit", "lang"] as const;
export type MenuItem = (typeof MENU_ITEMS)[number];

/** A command of a lead or member with an assessment open: what each word or slash command does. */
export function runCommand(turn: Turn, session: SessionView, command: ParsedCommand, vocabulary: ReplyVocabulary): void {
  const pending = turn.state.pending;
  // Ticked options are never dropped silently: moving on saves them first (cancel says they were dropped).
  if (pending.kind === "multi" && !["done", "help", "cancel"].includes(command.name)) keepPicks(turn, session, pending.criterionId, pending.selected);
  else if (pending.kind !== "none" && !["yes", "no", "done", "help"].includes(command.name)) turn.setPending({ kind: "none" });
  const entry = turn.current(session);
  switch (command.name) {
    case "start":
      if (command.arg !== "") return turn.say(t("link.already", { agency: turn.person.agencyName ?? "" }));
      return turn.ask(session, entry, [t("welcome.back", { name: turn.person.name, agency: turn.person.agencyName ?? "", period: session.periodName })], true);
    case "continue":
      return continueOn(turn, session, entry);
    case "help": {
      const help = entry?.criterion.help;
      return turn.say(
        ...(help ? [t("help.forQuestion", { id: entry.criterion.id, help: literal(localized(help, turn.locale)) })] : []),
        ...(entry ? [lines([hintFor(entry), ...(entry.criterion.evidence === "required" ? [t("question.evidenceRequired")] : [])])] : []),
        t("help.commands"),
        ...(session.definition.source.official ? [] : [t("score.unofficial", { note: localized(session.definition.source.note, turn.locale) })]),
        ...(turn.person.role === "lead" ? [t("team.help.lead")] : []),
        turn.whereNow(session),
      );
    }
    case "menu":
      return showMenu(turn, []);
    case "score": {
      const reply = scoreReply(session, turn.person.agencyName ?? "", turn.locale, turn.takeTip("unofficial"));
      return turn.reply({ ...reply, paragraphs: [...reply.paragraphs, turn.whereNow(session)] });
    }
    case "plan":
    case "more": {
      const from = command.name === "more" && pending.kind === "plan" ? pending.shown : 0;
      const plan = planReply(session, turn.person.agencyName ?? "", turn.locale, { from, unofficialNote: turn.takeTip("unofficial") });
      turn.setPending(plan.shown > 0 ? { kind: "plan", shown: plan.shown } : { kind: "none" });
      return turn.reply({ ...plan.reply, paragraphs: [...plan.reply.paragraphs, turn.whereNow(session)] });
    }
    case "overview":
    case "nudge":
    case "export":
      return turn.say(t("results.access.supervisorOnly"));
    case "progress":
      return turn.reply(teamProgress(progressReply(session, turn.locale, entry?.criterion.id), session, turn.person));
    case "skip":
      return skip(turn, session, entry);
    case "back":
      return back(turn, session, entry);
    case "goto":
      return goTo(turn, session, entry, command.arg, vocabulary);
    case "review": {
      // "xem lại câu 17" goes to that question; "xem lại các câu đã trả lời" is the review of where the person is.
      if (/^(c[aâ]u|question)\s*\d+/iu.test(command.arg.trim())) return goTo(turn, session, entry, command.arg, vocabulary);
      // A sentence without a number ("các câu đã trả lời") means the answers here; a word ("abc") names no pillar.
      const sentence = !/\d/.test(command.arg) && /\s/.test(command.arg.trim());
      const arg = sentence ? "" : command.arg.trim().toUpperCase().replace(/^P/, "");
      const index = arg === "" ? (entry?.pillarIndex ?? 0) : Number(arg.split(".")[0]) - 1;
      const reply = reviewReply(session, Number.isInteger(index) ? index : -1, turn.locale);
      return turn.reply({ ...reply, paragraphs: [...reply.paragraphs, turn.whereNow(session)] });
    }
    case "note":
      return startNote(turn, session, entry, command.arg);
    case "submit":
      return submit(turn, session);
    case "evidence":
      return evidenceChecklist(turn, session);
    case "upload":
      return uploadLink(turn, session);
    case "dossier":
      return dossier(turn);
    case "reopen":
      return reopen(turn, session);
    case "lang":
      return turn.setLocale(command.arg);
    case "reminders":
    case "reminders_off":
    case "reminders_on":
      return turn.setReminders(command);
    case "cancel":
      if (pending.kind === "multi") {
        turn.setPending({ kind: "none" });
        const multi = findEntry(session.definition, pending.criterionId);
        if (multi) return turn.refuse(multi, t("answer.picksDropped", { id: pending.criterionId }));
      }
      return turn.say(t("common.cancelled"), turn.whereNow(session));
    case "done":
      if (pending.kind === "multi") return saveMulti(turn, session, pending.criterionId, pending.selected);
      // Typed "xong" must do what the numbered "Xong" choice and the Done button do.
      if (entry?.criterion.answer.type === "multi") return saveMulti(turn, session, entry.criterion.id, multiSelection(session, entry));
      return turn.ask(session, entry, [t("input.nothingToFinish")], false);
    case "yes":
    case "no":
      return yesNo(turn, session, command.name === "yes", entry, command.name, vocabulary);
    default:
      // Team and supervisor commands are handled before this point (team-commands.ts, supervisor.ts).
      return turn.say(t("help.commands"), turn.whereNow(session));
  }
}

export function menuItems(turn: Turn): readonly MenuItem[] {
  return MENU_ITEMS.filter((item) => item !== "submit" || turn.person.role === "lead");
}

export function showMenu(turn: Turn, lead: readonly Text[]): void {
  turn.setPending({ kind: "menu" });
  turn.reply({
    paragraphs: [...lead, t("menu.title")],
    choices: menuItems(turn).map((item) => ({ value: item, label: t(`menu.${item}`) })),
    questionId: "menu",
  });
}

/** The menu's language item is labelled with the other language ("English" / "Tiếng Việt"): picking it switches. */
export function menuCommand(turn: Turn, item: MenuItem): ParsedCommand {
  return { name: item, arg: item === "lang" ? (turn.locale === "vi" ? "en" : "vi") : "", slash: false };
}
