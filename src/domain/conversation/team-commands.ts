import { AGENCY_GROUPS, AGENCY_TYPES } from "../agencies/agency-kinds.js";
import type { PersonView, StepContext } from "./context.js";
import type { Effect } from "./effects.js";
import { parseCommand, type CommandName, type Input, type ParsedCommand } from "./input.js";
import type { ConversationState } from "./state.js";
import type { TeamPending } from "./team-state.js";
import { pendingInvitesList, revokeInvite } from "./team-invites.js";
import { foldText, t } from "./text.js";
import { addAgency, agencyName, askAgencyName, groupQuestion, typeQuestion } from "./team-commands-agency.js";
import { inviteAgencyLead, inviteColleague, LEAD_WORDS, MEMBER_WORDS } from "./team-commands-invite.js";
import { assign, confirmRemove, list, remove, removeQuestion } from "./team-commands-members.js";
import { ask, refuse, say, TEAM_QUESTION, type Outcome, type Turn } from "./team-commands-turn.js";

/*
 * The team, by what the person does: inviting (team-commands-invite.ts), a lead's own team (team-commands-members.ts),
 * a supervisor's new agency (team-commands-agency.ts). This file routes a command or the answer to a pending step.
 */

export { TEAM_QUESTION };
export { AGENCY_NAME_MAX_CHARS } from "./team-commands-agency.js";

const TEAM_COMMANDS: ReadonlySet<CommandName> = new Set(["invite", "team", "assign", "unassign", "remove", "addagency", "invites", "revoke"]);
/** The commands that read the lead's team (ctx.team). */
const READS_TEAM: ReadonlySet<CommandName> = new Set(["team", "assign", "unassign", "remove", "invites", "revoke"]);

export interface TeamStepResult {
  readonly state: ConversationState;
  readonly effects: readonly Effect[];
  /** False: the message is not for the team (a pending team step was dropped); the questionnaire handles it. */
  readonly handled: boolean;
}

/** Whether the app must load the lead's team (ctx.team) before step() for this message. */
export function needsTeam(state: ConversationState, input: Input): boolean {
  if (state.teamPending?.kind === "confirm-remove") return true;
  const command = input.kind === "text" ? parseCommand(input.text) : null;
  return command !== null && command.name !== "unknown" && READS_TEAM.has(command.name);
}

/**
 * Team commands of leads (invite, list, assign, remove) and supervisors (invite a lead, add an agency), and the answers
 * to their pending steps. Null when the message has nothing to do with the team. Scope is by construction: a lead
 * only ever sees ctx.team (their own agency) and a supervisor ctx.province (their own province); what is not there
 * cannot be named. Refusals are one line and an effect the app logs.
 */
export function teamStep(state: ConversationState, input: Input, ctx: StepContext, person: PersonView): TeamStepResult | null {
  const command = input.kind === "text" ? parseCommand(input.text) : null;
  const pending = state.teamPending;
  const { teamPending: _dropped, ...cleared } = state;
  if (command !== null && command.name !== "unknown" && TEAM_COMMANDS.has(command.name) && meantAsTeamCommand(command)) {
    const outcome = onCommand({ ctx, person }, command);
    return { state: { ...cleared, ...outcome.state }, effects: outcome.effects, handled: true };
  }
  if (pending === undefined) return null;
  if (command !== null && command.name === "cancel") return { state: cleared, effects: [say(t("team.cancelled"))], handled: true };
  const outcome = onAnswer({ ctx, person }, pending, input, command);
  if (outcome === null) return { state: cleared, effects: [], handled: false };
  return { state: { ...cleared, ...outcome.state }, effects: outcome.effects, handled: true };
}

/** A team command, by the sender's role. */
function onCommand(turn: Turn, command: ParsedCommand): Outcome {
  const role = turn.person.role;
  switch (command.name) {
    case "invite":
      if (role === "supervisor") return inviteAgencyLead(turn, command.arg);
      return role === "lead" ? inviteColleague(turn, command.arg) : refuse("invite", "not-lead");
    case "addagency":
      if (role !== "supervisor") return refuse("addagency", "not-supervisor");
      return askAgencyName(turn);
    case "team":
      return role === "lead" ? list(turn) : refuse("team", "not-lead");
    case "assign":
    case "unassign":
      return role === "lead" ? assign(turn, command.arg, command.name === "unassign") : refuse(command.name, "not-lead");
    case "remove":
      return role === "lead" ? confirmRemove(turn, command.arg) : refuse("remove", "not-lead");
    case "invites":
      return role === "lead" ? { effects: pendingInvitesList(turn.ctx.team?.invites ?? [], turn.person.agencyName ?? "") } : refuse("invites", "not-lead");
    case "revoke":
      return role === "lead" ? { effects: revokeInvite(turn.ctx.team?.invites ?? [], command.arg) } : refuse("revoke", "not-lead");
    default:
      return { effects: [] };
  }
}

/** The answer to a pending step, or null when the message is something else (the step is then dropped). */
function onAnswer(turn: Turn, pending: TeamPending, input: Input, command: ReturnType<typeof parseCommand>): Outcome | null {
  const text = input.kind === "text" ? input.text.trim() : null;
  const isOtherCommand = command !== null && command.name !== "unknown" && command.name !== "yes" && command.name !== "no";
  switch (pending.kind) {
    case "confirm-remove": {
      const yes = input.kind === "pick" && input.questionId === TEAM_QUESTION.remove ? input.value === "yes" : yesNo(text, command);
      if (yes === null) return isOtherCommand || input.kind !== "text" ? null : ask(removeQuestion(pending.name, [t("confirm.pleaseAnswer")]), pending);
      if (!yes) return { effects: [say(t("team.remove.kept", { name: pending.name }))] };
      return remove(turn, pending.personId);
    }
    case "agency-name": {
      // A name may begin like a command word ("Đến …"); only a slash or a whole command word leaves this step.
      if (text === null || (command !== null && (command.name === "unknown" || command.slash || command.arg === ""))) return null;
      return agencyName(turn, text);
    }
    case "agency-group": {
      const group = picked(input, TEAM_QUESTION.group, AGENCY_GROUPS);
      if (group === null) return isOtherCommand || input.kind === "attachment" ? null : ask(groupQuestion(pending.name, [t("team.agency.pickNumber")]), pending);
      return ask(typeQuestion(pending.name, []), { kind: "agency-type", name: pending.name, group });
    }
    case "agency-type": {
      const type = picked(input, TEAM_QUESTION.type, AGENCY_TYPES);
      if (type === null) return isOtherCommand || input.kind === "attachment" ? null : ask(typeQuestion(pending.name, [t("team.agency.pickNumber")]), pending);
      return addAgency(turn, pending.name, pending.group, type);
    }
  }
}

/**
 * A word without a slash is a team command only when what follows fits one ("mời", "mời lãnh đạo", "gỡ 2"), so an
 * answer that happens to begin with such a word ("Mới ban hành", an option's text) still reaches the question.
 */
function meantAsTeamCommand(command: ParsedCommand): boolean {
  if (command.slash || command.arg === "") return true;
  const arg = foldText(command.arg);
  if (command.name === "invite") return MEMBER_WORDS.has(arg) || LEAD_WORDS.has(arg) || /^\d+$/.test(arg);
  return /^\d+(\s|$)/.test(arg);
}

function yesNo(text: string | null, command: ReturnType<typeof parseCommand>): boolean | null {
  if (text === "1") return true;
  if (text === "2") return false;
  if (command !== null && command.name === "yes") return true;
  if (command !== null && command.name === "no") return false;
  return null;
}

/** A numbered choice: a button's value, or the number typed on Zalo and in the terminal. */
function picked<T extends string>(input: Input, questionId: string, values: readonly T[]): T | null {
  if (input.kind === "pick") return input.questionId === questionId ? (values.find((v) => v === input.value) ?? null) : null;
  if (input.kind !== "text" || !/^\d+$/.test(input.text.trim())) return null;
  return values[Number(input.text.trim()) - 1] ?? null;
}
