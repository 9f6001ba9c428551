import { AGENCY_GROUPS, AGENCY_TYPES, type AgencyGroup } from "../agencies/agency-kinds.js";
import type { Reply } from "./effects.js";
import { foldText, literal, t, type Text } from "./text.js";
import { expiry, forwardable } from "./team-commands-invite.js";
import { ask, say, TEAM_QUESTION, type Outcome, type Turn } from "./team-commands-turn.js";

/* A supervisor adds an agency to their province: its name, its group, its type, then an invite for its lead. */

export const AGENCY_NAME_MAX_CHARS = 200;

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

export function askAgencyName(turn: Turn): Outcome {
  return ask({ paragraphs: [t("team.agency.askName", { province: turn.person.provinceName }), t("team.agency.cancelHint")] }, { kind: "agency-name" });
}

export function agencyName(turn: Turn, text: string): Outcome {
  const name = text.normalize("NFC").replace(/\s+/g, " ").trim();
  if (name.length < 2 || name.length > AGENCY_NAME_MAX_CHARS) {
    return ask({ paragraphs: [t("team.agency.badName", { max: AGENCY_NAME_MAX_CHARS }), t("team.agency.cancelHint")] }, { kind: "agency-name" });
  }
  const exists = (turn.ctx.province?.agencies ?? []).some((agency) => foldText(agency.name) === foldText(name));
  if (exists) return ask({ paragraphs: [t("team.agency.exists", { name }), t("team.agency.cancelHint")] }, { kind: "agency-name" });
  return ask(groupQuestion(name, []), { kind: "agency-group", name });
}

export function addAgency(turn: Turn, name: string, group: AgencyGroup, type: string): Outcome {
  const code = turn.ctx.newInviteCode;
  if (code === undefined) return { effects: [say(t("team.invite.unavailable"))] };
  const expiresAt = expiry(turn);
  return {
    effects: [
      { kind: "add-agency", name, group, type, code, expiresAt },
      say(t("team.agency.created", { name, province: turn.person.provinceName, group: t(GROUP_LABELS[group]) }), t("team.invite.forwardBelow")),
      forwardable(turn, "lead", name, code, expiresAt),
    ],
  };
}

export function groupQuestion(name: string, lead: readonly Text[]): Reply {
  return {
    paragraphs: [...lead, t("team.agency.askGroup", { name: literal(name) })],
    choices: AGENCY_GROUPS.map((group) => ({ value: group, label: t(GROUP_LABELS[group]) })),
    questionId: TEAM_QUESTION.group,
  };
}

export function typeQuestion(name: string, lead: readonly Text[]): Reply {
  return {
    paragraphs: [...lead, t("team.agency.askType", { name: literal(name) })],
    choices: AGENCY_TYPES.map((type) => ({ value: type, label: t(TYPE_LABELS[type]) })),
    questionId: TEAM_QUESTION.type,
  };
}
