import { normalizeInviteCode } from "../invites/invite-code.js";
import type { StepContext } from "./context.js";
import type { Effect } from "./effects.js";
import type { Input } from "./input.js";
import { parseCommand } from "./input.js";
import type { ConversationState } from "./state.js";
import { t } from "./text.js";

export const MAX_CODE_FAILURES = 5;
export const CODE_LOCK_MS = 15 * 60_000;

/**
 * The invite code a message carries, if any: `/start <code>` (a Telegram deep link), or a message that is just a
 * code. The app looks it up before calling step(), so the engine itself stays free of I/O.
 */
export function inviteCandidate(input: Input): string | null {
  if (input.kind !== "text") return null;
  const command = parseCommand(input.text);
  if (command && command.name === "start" && command.arg !== "") return normalizeInviteCode(command.arg);
  return normalizeInviteCode(input.text);
}

export interface LinkOutcome {
  readonly state: ConversationState;
  readonly effects: Effect[];
}

/** An unlinked person: greet, explain, and redeem a code — slowing down a chat that keeps guessing. */
export function stepUnlinked(state: ConversationState, input: Input, ctx: StepContext): LinkOutcome {
  const code = inviteCandidate(input);
  const reply = (key: string, vars?: Record<string, string | number>): Effect => ({ kind: "reply", reply: { paragraphs: [t(key, vars)] } });
  if (code === null || ctx.invite === undefined) {
    // Someone a lead removed is told so (and by whom), not greeted as a stranger.
    const removed = ctx.removal;
    const opening = removed === undefined ? t("welcome.unlinked") : t("team.remove.noticeRemoved", { agency: removed.agency, name: removed.by, when: removed.at });
    return { state, effects: [{ kind: "reply", reply: { paragraphs: [opening, t("welcome.howToLink")] } }] };
  }
  const lockedUntil = state.codeLockedUntil === undefined ? 0 : Date.parse(state.codeLockedUntil);
  if (lockedUntil > ctx.now.getTime()) {
    return { state, effects: [reply("link.slowDown", { minutes: Math.ceil((lockedUntil - ctx.now.getTime()) / 60_000) })] };
  }
  if (ctx.invite.status === "valid") {
    const { codeLockedUntil: _unlocked, ...rest } = state;
    return {
      state: { ...rest, codeFailures: 0 },
      effects: [
        { kind: "redeem-invite", inviteId: ctx.invite.inviteId },
        {
          kind: "reply",
          reply: {
            paragraphs: [t(`link.done.${ctx.invite.role}`, { target: ctx.invite.targetName }), t(ctx.invite.role === "supervisor" ? "link.nextSupervisor" : "link.next")],
          },
        },
      ],
    };
  }
  // Used, expired and unknown codes get one answer: telling them apart would tell a guesser which codes exist. The
  // app logs which it was.
  const failures = state.codeFailures + 1;
  if (failures >= MAX_CODE_FAILURES) {
    return {
      state: { ...state, codeFailures: 0, codeLockedUntil: new Date(ctx.now.getTime() + CODE_LOCK_MS).toISOString() },
      effects: [reply("link.invalid"), reply("link.slowDown", { minutes: CODE_LOCK_MS / 60_000 })],
    };
  }
  return { state: { ...state, codeFailures: failures }, effects: [reply("link.invalid")] };
}
