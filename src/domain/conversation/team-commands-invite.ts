import { overviewOrder } from "../results/province-view.js";
import { INVITE_EXPIRY_DAYS } from "../invites/invite-expiry.js";
import type { Effect, TeamEffect } from "./effects.js";
import { foldText, t } from "./text.js";
import { say, type Outcome, type Turn } from "./team-commands-turn.js";

/* Inviting: a lead invites a colleague to their agency, a supervisor invites the lead of an agency of their province. */

const DAY_MS = 24 * 60 * 60 * 1000;
export const MEMBER_WORDS = new Set(["member", "thanh vien", "nhan vien"]);
export const LEAD_WORDS = new Set(["lead", "lanh dao", "lanh dao phu trach", "truong nhom", "co-lead"]);

export function inviteColleague(turn: Turn, arg: string): Outcome {
  const wanted = foldText(arg);
  const role = wanted === "" || MEMBER_WORDS.has(wanted) ? "member" : LEAD_WORDS.has(wanted) ? "lead" : null;
  if (role === null) return { effects: [say(t("team.invite.usage"))] };
  return issue(turn, role, null, turn.person.agencyName ?? "");
}

export function inviteAgencyLead(turn: Turn, arg: string): Outcome {
  const province = turn.ctx.province;
  const number = Number(arg.trim());
  if (arg.trim() === "" || !Number.isInteger(number)) return { effects: [say(t("team.invite.supervisorUsage"))] };
  const agency = province === undefined ? undefined : overviewOrder(province.agencies)[number - 1];
  if (agency === undefined) return { effects: [say(t("results.access.agencyNotFound", { query: arg.trim() }))] };
  return issue(turn, "lead", agency.id, agency.name);
}

function issue(turn: Turn, role: "member" | "lead", agencyId: string | null, agencyName: string): Outcome {
  const code = turn.ctx.newInviteCode;
  if (code === undefined) return { effects: [say(t("team.invite.unavailable"))] };
  const expiresAt = expiry(turn);
  const effect: TeamEffect = { kind: "issue-invite", code, role, agencyId, expiresAt };
  const created = t(role === "lead" ? "team.invite.createdLead" : "team.invite.createdMember", { agency: agencyName, expires: expiresAt });
  return { effects: [effect, say(created, t("team.invite.forwardBelow")), forwardable(turn, role, agencyName, code, expiresAt)] };
}

export function expiry(turn: Turn): Date {
  return new Date(turn.ctx.now.getTime() + INVITE_EXPIRY_DAYS * DAY_MS);
}

/** The message the inviter forwards as it is: who invites whom to what, the code, and how to use it on each app. */
export function forwardable(turn: Turn, role: "member" | "lead", agencyName: string, code: string, expiresAt: Date): Effect {
  const base = turn.ctx.inviteLinkBase;
  return say(
    t(role === "lead" ? "team.invite.forwardLead" : "team.invite.forwardMember", { agency: agencyName, inviter: turn.person.name }),
    t("team.invite.code", { code, expires: expiresAt }),
    ...(base === undefined ? [] : [t("team.invite.link", { link: `${base}${code.replace(/-/g, "")}` })]),
    t("team.invite.howTo"),
  );
}
