import type { ConversationState } from "./state.js";

/**
 * Guidance shown once per session rather than with every question: how to answer each kind of question, what the
 * 📎 mark means, and that the questionnaire is the project's reference text. A session ends after a pause this long;
 * the next message starts a new one and the tips come back. "trợ giúp" shows them at any time.
 */
export const SESSION_GAP_MS = 3 * 60 * 60_000;

export type Tip = `howto.${"yesno" | "choice" | "multi" | "number"}` | "evidence" | "unofficial";

/** The state at the start of a message: tips forgotten after a pause, and the time of this message noted. */
export function openSession(state: ConversationState, now: Date): ConversationState {
  const seen = state.seenAt === undefined ? Number.NaN : Date.parse(state.seenAt);
  const fresh = Number.isNaN(seen) || now.getTime() - seen > SESSION_GAP_MS || now.getTime() < seen;
  return { ...state, seenAt: now.toISOString(), tips: fresh ? [] : (state.tips ?? []) };
}

export function tipShown(state: ConversationState, tip: Tip): boolean {
  return (state.tips ?? []).includes(tip);
}

export function withTip(state: ConversationState, tip: Tip): ConversationState {
  return tipShown(state, tip) ? state : { ...state, tips: [...(state.tips ?? []), tip] };
}
