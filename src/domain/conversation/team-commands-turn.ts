import type { PersonView, StepContext } from "./context.js";
import type { Effect, Reply } from "./effects.js";
import type { TeamPending } from "./team-state.js";
import { t, type Text } from "./text.js";

/** Who is acting on the team, and what the app loaded for them: what every team action reads. */
export interface Turn {
  readonly ctx: StepContext;
  readonly person: PersonView;
}

export interface Outcome {
  readonly state?: { readonly teamPending?: TeamPending };
  readonly effects: Effect[];
}

/** Question ids of the team's own choices (buttons on Telegram, numbered lines elsewhere). */
export const TEAM_QUESTION = { remove: "team-remove", group: "team-group", type: "team-type" } as const;

export const say = (...paragraphs: Text[]): Effect => ({ kind: "reply", reply: { paragraphs } });
export const ask = (reply: Reply, teamPending: TeamPending): Outcome => ({ state: { teamPending }, effects: [{ kind: "reply", reply }] });

/** One line, and an effect the app logs. */
export function refuse(action: string, reason: "not-lead" | "not-supervisor" | "last-lead"): Outcome {
  const key = reason === "not-supervisor" ? "team.refused.supervisorOnly" : reason === "last-lead" ? "team.refused.lastLead" : "team.refused.leadOnly";
  return { effects: [{ kind: "refusal", action, reason }, say(t(key))] };
}
