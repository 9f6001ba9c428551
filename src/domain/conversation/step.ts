import { addEvidence } from "./attachments.js";
import { handlePick } from "./buttons.js";
import type { StepContext } from "./context.js";
import type { Effect } from "./effects.js";
import { parseCommand, type Input } from "./input.js";
import { stepUnlinked } from "./linking.js";
import { criteriaOf, nextUnanswered } from "./navigation.js";
import type { ReplyVocabulary } from "./reading/vocabulary.js";
import { isRemindersCommand } from "./reminder-command.js";
import type { ConversationState } from "./state.js";
import { handleText } from "./text-reply.js";
import { t, type Text } from "./text.js";
import { supervisorEffects } from "../results/supervisor.js";
import { teamStep } from "./team-commands.js";
import { keepStep } from "./keep-offer.js";
import { cutText } from "../text/cut-text.js";
import { isAnswered, localeChange, Turn } from "./turn.js";
import { choicesFor } from "./question-reply.js";

export const MAX_MESSAGE_CHARS = 4000;
export const FLOOD_WINDOW_MS = 3000;
/** Quick taps on a several-choice question come 2–3 a second; a burst beyond this is a flood or a loop. */
export const FLOOD_MAX_MESSAGES = 10;

export interface StepResult {
  readonly state: ConversationState;
  readonly effects: readonly Effect[];
}

/**
 * The whole conversation as a pure function: the person's state, one inbound event and what the app loaded
 * (who they are, their agency's assessment) give the new state and the effects to apply. No I/O, no clock but
 * ctx.now, no wording but message keys.
 */
export function step(state: ConversationState, input: Input, ctx: StepContext): StepResult {
  const flood = ctx.floodControl ? floodCheck(state, ctx.sentAt ?? ctx.now) : { state, drop: false, notify: false };
  if (flood.drop) {
    return { state: flood.state, effects: flood.notify ? [say(t("input.flood"))] : [] };
  }
  const current = flood.state;
  let notices: Text[] = [];
  let event = input;
  if (event.kind === "text") {
    const text = event.text.trim();
    if (text === "") return { state: current, effects: [say(t("input.empty"))] };
    if (text.length > MAX_MESSAGE_CHARS) {
      event = { ...event, text: cutText(text, MAX_MESSAGE_CHARS) };
      notices = [t("input.truncated", { max: MAX_MESSAGE_CHARS })];
    } else {
      event = { ...event, text };
    }
  }
  if (ctx.person === null) {
    const langOnly = event.kind === "text" ? parseCommand(event.text) : null;
    if (langOnly && langOnly.name === "lang") return localeChange(current, langOnly.arg);
    return stepUnlinked(current, event, ctx);
  }
  const turn = new Turn(current, ctx, ctx.person, notices);
  handleLinked(turn, event, ctx.vocabulary);
  return { state: turn.state, effects: turn.effects };
}

function say(...paragraphs: Text[]): Effect {
  return { kind: "reply", reply: { paragraphs } };
}

function floodCheck(state: ConversationState, now: Date): { state: ConversationState; drop: boolean; notify: boolean } {
  const start = state.floodWindowStart === undefined ? 0 : Date.parse(state.floodWindowStart);
  if (now.getTime() - start > FLOOD_WINDOW_MS || now.getTime() < start) {
    return { state: { ...state, floodWindowStart: now.toISOString(), floodCount: 1, floodNotified: false }, drop: false, notify: false };
  }
  const count = state.floodCount + 1;
  if (count <= FLOOD_MAX_MESSAGES) return { state: { ...state, floodCount: count }, drop: false, notify: false };
  return { state: { ...state, floodCount: count, floodNotified: true }, drop: true, notify: !state.floodNotified };
}


/**
 * One message of a linked person: team commands first (team-commands.ts), supervisors' own view, then the
 * assessment — typed text (text-reply.ts), a button (buttons.ts) or an attachment (attachments.ts).
 */
function handleLinked(turn: Turn, input: Input, vocabulary: ReplyVocabulary): void {
  const kept = keepStep(turn.state, input, turn.ctx, turn.lastAnswered);
  if (kept !== null) turn.state = kept.state;
  if (kept?.handled) return turn.push(kept.effects);
  if (input.kind === "unsupported") return turn.say(t("input.unsupported"));
  const team = teamStep(turn.state, input, turn.ctx, turn.person);
  if (team !== null) turn.state = team.state;
  if (team?.handled) return turn.push(team.effects);
  if (turn.person.role === "supervisor") return handleSupervisor(turn, input);
  const session = turn.ctx.session;
  if (session === null) {
    const command = input.kind === "text" ? parseCommand(input.text) : null;
    if (command && command.name === "lang") return turn.setLocale(command.arg);
    if (command && command.name !== "unknown" && isRemindersCommand(command.name)) return turn.setReminders(command);
    if (command && command.name === "help") return turn.say(t("help.commands"));
    return turn.say(t("session.none", { agency: turn.person.agencyName ?? "" }));
  }
  if (turn.state.assessmentId !== session.assessmentId) {
    // A new period (or first contact): start from the first question nobody has answered yet.
    const first = nextUnanswered(session.definition, (id) => isAnswered(session, id), undefined) ?? criteriaOf(session.definition)[0];
    turn.state = { ...turn.state, assessmentId: session.assessmentId, criterionId: first?.criterion.id, pending: { kind: "none" } };
  }
  if (input.kind === "attachment") return addEvidence(turn, session, input.attachment);
  if (input.kind === "pick") return handlePick(turn, session, input.questionId, input.value, vocabulary);
  return handleText(turn, session, input.text, vocabulary);
}

/** Supervisors: a read-only view of their province (domain/results/supervisor.ts). */
function handleSupervisor(turn: Turn, input: Input): void {
  const command = input.kind === "text" ? parseCommand(input.text) : null;
  if (command && command.name === "lang") return turn.setLocale(command.arg);
  if (command && command.name !== "unknown" && isRemindersCommand(command.name)) return turn.setReminders(command);
  turn.push(supervisorEffects(input, turn.ctx, turn.person, turn.locale));
}

export { choicesFor };
