import { AGENCY_GROUPS, AGENCY_TYPES, type AgencyGroup } from "../agencies/agency-kinds.js";
import { overviewOrder } from "../results/province-view.js";
import { answeredBy, partsText, parseParts } from "./assigned-parts.js";
import type { PersonView, StepContext } from "./context.js";
import type { Effect, Reply, ReplyChoice, TeamEffect } from "./effects.js";
import { parseCommand, type CommandName, type Input, type ParsedCommand } from "./input.js";
import type { ConversationState } from "./state.js";
import type { TeamPending } from "./team-state.js";
import type { TeamMemberView } from "./team-view.js";
import { pendingInvitesList, revokeInvite } from "./team-invites.js";
import { foldText, lines, literal, t, type Text } from "./text.js";

/** Invites made in the chat last as long as an operator's by default (invite-store's DEFAULT_INVITE_EXPIRY_DAYS). */
export const CHAT_INVITE_EXPIRY_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;
export const AGENCY_NAME_MAX_CHARS = 200;

const TEAM_COMMANDS: ReadonlySet<CommandName> = new Set(["invite", "team", "assign", "unassign", "remove", "addagency", "invites", "revoke"]);
/** The commands that read the lead's team (ctx.team). */
const READS_TEAM: ReadonlySet<CommandName> = new Set(["team", "assign", "unassign", "remove", "invites", "revoke"]);

/** Question ids of the team's own choices (buttons on Telegram, numbered lines elsewhere). */
export const TEAM_QUESTION = { remove: "team-remove", group: "team-group", type: "team-type" } as const;

const GROUP_LABELS: Readonly<Record<AgencyGroup, string>> = {
  "central-newspaper": "results.group.centralNewspaper",
  "local-newspaper": "results.group.localNewspaper",
  magazine: "results.group.magazine",
  "science-journal": "results.group.scienceJournal",
  "radio-tv": "results.group.radioTv",
};
const TYPE_LABELS: Readonly<Record<(typeof AGENCY_TYPES)[number], string>> = {
  newspaper: "team.agency.type.newspaper",
  magazine: "team.agency.type.magazine",
  "science-journal": "team.agency.type.scienceJournal",
  "radio-tv": "team.agency.type.radioTv",
};

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
    const outcome = new TeamTurn(ctx, person).command(command);
    return { state: { ...cleared, ...outcome.state }, effects: outcome.effects, handled: true };
  }
  if (pending === undefined) return null;
  if (command !== null && command.name === "cancel") return { state: cleared, effects: [say(t("team.cancelled"))], handled: true };
  const outcome = new TeamTurn(ctx, person).answer(pending, input, command);
  if (outcome === null) return { state: cleared, effects: [], handled: false };
  return { state: { ...cleared, ...outcome.state }, effects: outcome.effects, handled: true };
}

interface Outcome {
  readonly state?: { readonly teamPending?: TeamPending };
  readonly effects: Effect[];
}

const say = (...paragraphs: Text[]): Effect => ({ kind: "reply", reply: { paragraphs } });
const ask = (reply: Reply, teamPending: TeamPending): Outcome => ({ state: { teamPending }, effects: [{ kind: "reply", reply }] });

class TeamTurn {
  constructor(
    private readonly ctx: StepContext,
    private readonly person: PersonView,
  ) {}

  command(command: ParsedCommand): Outcome {
    const role = this.person.role;
    switch (command.name) {
      case "invite":
        if (role === "supervisor") return this.inviteAgencyLead(command.arg);
        return role === "lead" ? this.inviteColleague(command.arg) : this.refuse("invite", "not-lead");
      case "addagency":
        if (role !== "supervisor") return this.refuse("addagency", "not-supervisor");
        return ask({ paragraphs: [t("team.agency.askName", { province: this.person.provinceName }), t("team.agency.cancelHint")] }, { kind: "agency-name" });
      case "team":
        return role === "lead" ? this.list() : this.refuse("team", "not-lead");
      case "assign":
      case "unassign":
        return role === "lead" ? this.assign(command.arg, command.name === "unassign") : this.refuse(command.name, "not-lead");
      case "remove":
        return role === "lead" ? this.confirmRemove(command.arg) : this.refuse("remove", "not-lead");
      case "invites":
        return role === "lead" ? { effects: pendingInvitesList(this.ctx.team?.invites ?? [], this.person.agencyName ?? "") } : this.refuse("invites", "not-lead");
      case "revoke":
        return role === "lead" ? { effects: revokeInvite(this.ctx.team?.invites ?? [], command.arg) } : this.refuse("revoke", "not-lead");
      default:
        return { effects: [] };
    }
  }

  /** The answer to a pending step, or null when the message is something else (the step is then dropped). */
  answer(pending: TeamPending, input: Input, command: ReturnType<typeof parseCommand>): Outcome | null {
    const text = input.kind === "text" ? input.text.trim() : null;
    const isOtherCommand = command !== null && command.name !== "unknown" && command.name !== "yes" && command.name !== "no";
    switch (pending.kind) {
      case "confirm-remove": {
        const yes = input.kind === "pick" && input.questionId === TEAM_QUESTION.remove ? input.value === "yes" : yesNo(text, command);
        if (yes === null) return isOtherCommand || input.kind !== "text" ? null : ask(removeQuestion(pending.name, [t("confirm.pleaseAnswer")]), pending);
        if (!yes) return { effects: [say(t("team.remove.kept", { name: pending.name }))] };
        return this.remove(pending.personId);
      }
      case "agency-name": {
        // A name may begin like a command word ("Đến …"); only a slash or a whole command word leaves this step.
        if (text === null || (command !== null && (command.name === "unknown" || command.slash || command.arg === ""))) return null;
        return this.agencyName(text);
      }
      case "agency-group": {
        const group = picked(input, TEAM_QUESTION.group, AGENCY_GROUPS);
        if (group === null) return isOtherCommand || input.kind === "attachment" ? null : ask(groupQuestion(pending.name, [t("team.agency.pickNumber")]), pending);
        return ask(typeQuestion(pending.name, []), { kind: "agency-type", name: pending.name, group });
      }
      case "agency-type": {
        const type = picked(input, TEAM_QUESTION.type, AGENCY_TYPES);
        if (type === null) return isOtherCommand || input.kind === "attachment" ? null : ask(typeQuestion(pending.name, [t("team.agency.pickNumber")]), pending);
        return this.addAgency(pending.name, pending.group, type);
      }
    }
  }

  private refuse(action: string, reason: "not-lead" | "not-supervisor" | "last-lead"): Outcome {
    const key = reason === "not-supervisor" ? "team.refused.supervisorOnly" : reason === "last-lead" ? "team.refused.lastLead" : "team.refused.leadOnly";
    return { effects: [{ kind: "refusal", action, reason }, say(t(key))] };
  }

  // ── invites ────────────────────────────────────────────────────────────────
  private inviteColleague(arg: string): Outcome {
    const wanted = foldText(arg);
    const role = wanted === "" || MEMBER_WORDS.has(wanted) ? "member" : LEAD_WORDS.has(wanted) ? "lead" : null;
    if (role === null) return { effects: [say(t("team.invite.usage"))] };
    return this.issue(role, null, this.person.agencyName ?? "");
  }

  private inviteAgencyLead(arg: string): Outcome {
    const province = this.ctx.province;
    const number = Number(arg.trim());
    if (arg.trim() === "" || !Number.isInteger(number)) return { effects: [say(t("team.invite.supervisorUsage"))] };
    const agency = province === undefined ? undefined : overviewOrder(province.agencies)[number - 1];
    if (agency === undefined) return { effects: [say(t("results.access.agencyNotFound", { query: arg.trim() }))] };
    return this.issue("lead", agency.id, agency.name);
  }

  private issue(role: "member" | "lead", agencyId: string | null, agencyName: string): Outcome {
    const code = this.ctx.newInviteCode;
    if (code === undefined) return { effects: [say(t("team.invite.unavailable"))] };
    const expiresAt = this.expiry();
    const effect: TeamEffect = { kind: "issue-invite", code, role, agencyId, expiresAt };
    const created = t(role === "lead" ? "team.invite.createdLead" : "team.invite.createdMember", { agency: agencyName, expires: expiresAt });
    return { effects: [effect, say(created, t("team.invite.forwardBelow")), this.forwardable(role, agencyName, code, expiresAt)] };
  }

  private expiry(): Date {
    return new Date(this.ctx.now.getTime() + CHAT_INVITE_EXPIRY_DAYS * DAY_MS);
  }

  /** The message the inviter forwards as it is: who invites whom to what, the code, and how to use it on each app. */
  private forwardable(role: "member" | "lead", agencyName: string, code: string, expiresAt: Date): Effect {
    const base = this.ctx.inviteLinkBase;
    return say(
      t(role === "lead" ? "team.invite.forwardLead" : "team.invite.forwardMember", { agency: agencyName, inviter: this.person.name }),
      t("team.invite.code", { code, expires: expiresAt }),
      ...(base === undefined ? [] : [t("team.invite.link", { link: `${base}${code.replace(/-/g, "")}` })]),
      t("team.invite.howTo"),
    );
  }

  // ── the lead's team ────────────────────────────────────────────────────────
  private members(): readonly TeamMemberView[] {
    return this.ctx.team?.members ?? [];
  }

  private list(): Outcome {
    const counts = new Map(this.ctx.session === null ? [] : answeredBy(this.ctx.session).map((row) => [row.personId, row.count]));
    const rows = this.members().map((member, i) =>
      lines([
        t(member.role === "lead" ? "team.list.lineLead" : "team.list.lineMember", { number: i + 1, name: member.name, answers: counts.get(member.personId) ?? 0 }),
        member.assignedParts.length > 0 ? t("team.list.assigned", { parts: partsText(member.assignedParts) }) : t("team.list.notAssigned"),
        ...(member.reachable ? [] : [t("team.list.unreachable")]),
      ]),
    );
    const others = this.ctx.session === null ? 0 : answeredBy(this.ctx.session).filter((row) => !this.members().some((m) => m.personId === row.personId)).length;
    return {
      effects: [
        say(
          t("team.list.title", { agency: this.person.agencyName ?? "", count: this.members().length }),
          ...rows,
          ...(others > 0 ? [t("team.list.formerMembers", { count: others })] : []),
          t("team.list.help"),
        ),
      ],
    };
  }

  /** The member a number names, or an outcome that says it names nobody. */
  private member(token: string | undefined, usage: string): TeamMemberView | Outcome {
    const number = Number(token);
    if (token === undefined || token === "" || !Number.isInteger(number)) return { effects: [say(t(usage))] };
    const member = this.members()[number - 1];
    return member ?? { effects: [say(t("team.notFound", { number: token, count: this.members().length }))] };
  }

  private assign(arg: string, clear: boolean): Outcome {
    const [first, ...rest] = arg.trim().split(/\s+/);
    const member = this.member(first, clear ? "team.unassign.usage" : "team.assign.usage");
    if (!("personId" in member)) return member;
    if (clear) return { effects: [{ kind: "assign", personId: member.personId, parts: [] }, say(t("team.unassign.done", { name: member.name }))] };
    const parsed = parseParts(rest.join(" "), this.ctx.session?.definition ?? null);
    if (!parsed.ok) {
      return { effects: [say(parsed.bad === "" ? t("team.assign.usage") : t("team.assign.badPart", { part: parsed.bad }), t("team.assign.usage"))] };
    }
    return {
      effects: [
        { kind: "assign", personId: member.personId, parts: parsed.parts },
        say(t("team.assign.done", { name: member.name, parts: partsText(parsed.parts) }), t("team.assign.walkHint")),
      ],
    };
  }

  private confirmRemove(arg: string): Outcome {
    const member = this.member(arg.trim().split(/\s+/)[0], "team.remove.usage");
    if (!("personId" in member)) return member;
    if (this.isLastLead(member)) return this.refuse("remove", "last-lead");
    return ask(removeQuestion(member.name, []), { kind: "confirm-remove", personId: member.personId, name: member.name });
  }

  private remove(personId: string): Outcome {
    const member = this.members().find((m) => m.personId === personId);
    if (member === undefined) return { effects: [say(t("team.remove.gone"))] };
    if (this.isLastLead(member)) return this.refuse("remove", "last-lead");
    const self = member.personId === this.person.id;
    return {
      effects: [
        { kind: "remove-member", personId: member.personId },
        say(t(self ? "team.remove.doneSelf" : "team.remove.done", { name: member.name, agency: this.person.agencyName ?? "" })),
      ],
    };
  }

  /** A lead who would leave the agency without any lead: only themselves, since removing another leaves them. */
  private isLastLead(member: TeamMemberView): boolean {
    if (member.personId !== this.person.id || member.role !== "lead") return false;
    return !this.members().some((m) => m.role === "lead" && m.personId !== member.personId);
  }

  // ── a supervisor's new agency ──────────────────────────────────────────────
  private agencyName(text: string): Outcome {
    const name = text.normalize("NFC").replace(/\s+/g, " ").trim();
    if (name.length < 2 || name.length > AGENCY_NAME_MAX_CHARS) {
      return ask({ paragraphs: [t("team.agency.badName", { max: AGENCY_NAME_MAX_CHARS }), t("team.agency.cancelHint")] }, { kind: "agency-name" });
    }
    const exists = (this.ctx.province?.agencies ?? []).some((agency) => foldText(agency.name) === foldText(name));
    if (exists) return ask({ paragraphs: [t("team.agency.exists", { name }), t("team.agency.cancelHint")] }, { kind: "agency-name" });
    return ask(groupQuestion(name, []), { kind: "agency-group", name });
  }

  private addAgency(name: string, group: AgencyGroup, type: string): Outcome {
    const code = this.ctx.newInviteCode;
    if (code === undefined) return { effects: [say(t("team.invite.unavailable"))] };
    const expiresAt = this.expiry();
    return {
      effects: [
        { kind: "add-agency", name, group, type, code, expiresAt },
        say(t("team.agency.created", { name, province: this.person.provinceName, group: t(GROUP_LABELS[group]) }), t("team.invite.forwardBelow")),
        this.forwardable("lead", name, code, expiresAt),
      ],
    };
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

const MEMBER_WORDS = new Set(["member", "thanh vien", "nhan vien"]);
const LEAD_WORDS = new Set(["lead", "lanh dao", "lanh dao phu trach", "truong nhom", "co-lead"]);

function yesNo(text: string | null, command: ReturnType<typeof parseCommand>): boolean | null {
  if (text === "1") return true;
  if (text === "2") return false;
  if (command !== null && command.name === "yes") return true;
  if (command !== null && command.name === "no") return false;
  return null;
}

const YES_NO: readonly ReplyChoice[] = [
  { value: "yes", label: t("answer.yes") },
  { value: "no", label: t("answer.no") },
];

function removeQuestion(name: string, lead: readonly Text[]): Reply {
  return { paragraphs: [...lead, t("team.remove.confirm", { name })], choices: YES_NO, questionId: TEAM_QUESTION.remove };
}

function groupQuestion(name: string, lead: readonly Text[]): Reply {
  return {
    paragraphs: [...lead, t("team.agency.askGroup", { name: literal(name) })],
    choices: AGENCY_GROUPS.map((group) => ({ value: group, label: t(GROUP_LABELS[group]) })),
    questionId: TEAM_QUESTION.group,
  };
}

function typeQuestion(name: string, lead: readonly Text[]): Reply {
  return {
    paragraphs: [...lead, t("team.agency.askType", { name: literal(name) })],
    choices: AGENCY_TYPES.map((type) => ({ value: type, label: t(TYPE_LABELS[type]) })),
    questionId: TEAM_QUESTION.type,
  };
}

/** A numbered choice: a button's value, or the number typed on Zalo and in the terminal. */
function picked<T extends string>(input: Input, questionId: string, values: readonly T[]): T | null {
  if (input.kind === "pick") return input.questionId === questionId ? (values.find((v) => v === input.value) ?? null) : null;
  if (input.kind !== "text" || !/^\d+$/.test(input.text.trim())) return null;
  return values[Number(input.text.trim()) - 1] ?? null;
}
