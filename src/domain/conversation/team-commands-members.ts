import { answeredBy, partsText, parseParts } from "./assigned-parts.js";
import type { Reply, ReplyChoice } from "./effects.js";
import type { TeamMemberView } from "./team-view.js";
import { lines, t, type Text } from "./text.js";
import { ask, refuse, say, TEAM_QUESTION, type Outcome, type Turn } from "./team-commands-turn.js";

/* A lead's own team: listing it, giving members parts to answer first, removing someone (after a yes). */

function members(turn: Turn): readonly TeamMemberView[] {
  return turn.ctx.team?.members ?? [];
}

export function list(turn: Turn): Outcome {
  const counts = new Map(turn.ctx.session === null ? [] : answeredBy(turn.ctx.session).map((row) => [row.personId, row.count]));
  const rows = members(turn).map((member, i) =>
    lines([
      t(member.role === "lead" ? "team.list.lineLead" : "team.list.lineMember", { number: i + 1, name: member.name, answers: counts.get(member.personId) ?? 0 }),
      member.assignedParts.length > 0 ? t("team.list.assigned", { parts: partsText(member.assignedParts) }) : t("team.list.notAssigned"),
      ...(member.reachable ? [] : [t("team.list.unreachable")]),
    ]),
  );
  const others = turn.ctx.session === null ? 0 : answeredBy(turn.ctx.session).filter((row) => !members(turn).some((m) => m.personId === row.personId)).length;
  return {
    effects: [
      say(
        t("team.list.title", { agency: turn.person.agencyName ?? "", count: members(turn).length }),
        ...rows,
        ...(others > 0 ? [t("team.list.formerMembers", { count: others })] : []),
        t("team.list.help"),
      ),
    ],
  };
}

/** The member a number names, or an outcome that says it names nobody. */
function memberNamed(turn: Turn, token: string | undefined, usage: string): TeamMemberView | Outcome {
  const number = Number(token);
  if (token === undefined || token === "" || !Number.isInteger(number)) return { effects: [say(t(usage))] };
  const member = members(turn)[number - 1];
  return member ?? { effects: [say(t("team.notFound", { number: token, count: members(turn).length }))] };
}

export function assign(turn: Turn, arg: string, clear: boolean): Outcome {
  const [first, ...rest] = arg.trim().split(/\s+/);
  const member = memberNamed(turn, first, clear ? "team.unassign.usage" : "team.assign.usage");
  if (!("personId" in member)) return member;
  if (clear) return { effects: [{ kind: "assign", personId: member.personId, parts: [] }, say(t("team.unassign.done", { name: member.name }))] };
  const parsed = parseParts(rest.join(" "), turn.ctx.session?.definition ?? null);
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

export function confirmRemove(turn: Turn, arg: string): Outcome {
  const member = memberNamed(turn, arg.trim().split(/\s+/)[0], "team.remove.usage");
  if (!("personId" in member)) return member;
  if (isLastLead(turn, member)) return refuse("remove", "last-lead");
  return ask(removeQuestion(member.name, []), { kind: "confirm-remove", personId: member.personId, name: member.name });
}

export function remove(turn: Turn, personId: string): Outcome {
  const member = members(turn).find((m) => m.personId === personId);
  if (member === undefined) return { effects: [say(t("team.remove.gone"))] };
  if (isLastLead(turn, member)) return refuse("remove", "last-lead");
  const self = member.personId === turn.person.id;
  return {
    effects: [
      { kind: "remove-member", personId: member.personId },
      say(t(self ? "team.remove.doneSelf" : "team.remove.done", { name: member.name, agency: turn.person.agencyName ?? "" })),
    ],
  };
}

/** A lead who would leave the agency without any lead: only themselves, since removing another leaves them. */
function isLastLead(turn: Turn, member: TeamMemberView): boolean {
  if (member.personId !== turn.person.id || member.role !== "lead") return false;
  return !members(turn).some((m) => m.role === "lead" && m.personId !== member.personId);
}

const YES_NO: readonly ReplyChoice[] = [
  { value: "yes", label: t("answer.yes") },
  { value: "no", label: t("answer.no") },
];

export function removeQuestion(name: string, lead: readonly Text[]): Reply {
  return { paragraphs: [...lead, t("team.remove.confirm", { name })], choices: YES_NO, questionId: TEAM_QUESTION.remove };
}
