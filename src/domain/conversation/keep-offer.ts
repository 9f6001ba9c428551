import { limitVars, REFUSAL_KEYS } from "../evidence/evidence-policy.js";
import { NO, YES } from "./answer-input.js";
import type { StepContext } from "./context.js";
import type { Effect, Reply } from "./effects.js";
import type { Input } from "./input.js";
import type { KeepOffer } from "./keep-offer-state.js";
import { findEntry } from "./navigation.js";
import type { ConversationState } from "./state.js";
import type { ReplyVocabulary } from "./reading/vocabulary.js";
import { readPlainYesNo } from "./reading/yes-no.js";
import { literal, t, type Text } from "./text.js";

/*
 * Messages that reach a linked person's conversation but are not their own reply:
 * - forwarded text, photos and files (a channel post "Có" forwarded is not the person saying yes): never an answer or a
 *   command; offered as a note, or as evidence, for the question at hand;
 * - a photo the platform announced but that could not be fetched: the person is told so, and its caption is offered
 *   as a note rather than lost;
 * - a voice message: the person is asked to type.
 * Pure, like step(); step.ts calls keepStep first and stops when it handled the message.
 */

/** The question id of the yes/no choice (a button on Telegram, numbered lines elsewhere). */
export const KEEP_QUESTION = "keep-offer";

export interface KeepStepResult {
  readonly state: ConversationState;
  readonly effects: readonly Effect[];
  /** False: the message is not for the offer (a pending offer was dropped); the conversation handles it. */
  readonly handled: boolean;
}

const say = (...paragraphs: Text[]): Effect => ({ kind: "reply", reply: { paragraphs } });

/**
 * The effects for a message that is not the person's own reply, or for the answer to an offer made before; null when
 * neither (the conversation goes on as usual). `justAnswered` is the question the previous message answered: a note
 * or file sent right after belongs to it, as with anything the person sends themselves.
 */
export function keepStep(state: ConversationState, input: Input, ctx: StepContext, justAnswered: string | undefined): KeepStepResult | null {
  const { keepOffer: offer, ...cleared } = state;
  const incoming = offerFor(input);
  if (incoming !== null) {
    // After "ghi chú", the note's question; otherwise the one just answered, or the one showing.
    const target = writableTarget(state, ctx, state.pending.kind === "note" ? state.pending.criterionId : justAnswered);
    if (incoming.keep === null || target === null) return { state: cleared, effects: [say(...incoming.lead)], handled: true };
    const keepOffer: KeepOffer = { criterionId: target, keep: incoming.keep };
    return { state: { ...withoutYesNo(cleared), keepOffer }, effects: [{ kind: "reply", reply: offerReply(incoming.lead, keepOffer) }], handled: true };
  }
  if (offer === undefined) return null;
  const yes = input.kind === "pick" ? (input.questionId === KEEP_QUESTION ? input.value === YES : null) : input.kind === "text" ? yesNo(input.text, ctx.vocabulary) : null;
  if (yes === null) return { state: cleared, effects: [], handled: false };
  if (!yes) return { state: cleared, effects: [say(t("safety.keep.dropped"))], handled: true };
  if (writableTarget(state, ctx, offer.criterionId) !== offer.criterionId) return { state: cleared, effects: [say(t("safety.keep.notNow"))], handled: true };
  const id = offer.criterionId;
  if (offer.keep.kind === "note") {
    return { state: cleared, effects: [{ kind: "save-note", criterionId: id, note: offer.keep.text }, say(t("note.saved", { id, note: offer.keep.text }))], handled: true };
  }
  const { kind, ref, fileName, caption, file } = offer.keep.evidence;
  const evidence = { kind, ref, ...(fileName === undefined ? {} : { fileName }), ...(caption === undefined ? {} : { caption }), ...(file === undefined ? {} : { file }) };
  return { state: cleared, effects: [{ kind: "add-evidence", criterionId: id, evidence }, say(t(kind === "photo" ? "evidence.saved.photo" : "evidence.saved.document", { id }))], handled: true };
}

/**
 * The state once the offer is the question on screen: an earlier yes/no question (submit, overwrite someone's answer,
 * remove a member) or a note waiting for its text no longer takes the next "có" or text, which answers the offer.
 */
function withoutYesNo(state: ConversationState): ConversationState {
  const { teamPending: _teamPending, ...rest } = state;
  const kind = state.pending.kind;
  return kind === "confirm-submit" || kind === "confirm-overwrite" || kind === "note" ? { ...rest, pending: { kind: "none" } } : rest;
}

/** What to say about an incoming message that is not the person's own reply, and what could be kept of it. */
function offerFor(input: Input): { lead: Text[]; keep: KeepOffer["keep"] | null } | null {
  if (input.kind === "text" && input.forwarded === true) {
    return { lead: [t("safety.forwarded.notAnswer")], keep: input.text.trim() === "" ? null : { kind: "note", text: input.text.trim() } };
  }
  if (input.kind === "attachment" && input.forwarded === true) return { lead: [t("safety.forwarded.notAnswer")], keep: { kind: "evidence", evidence: input.attachment } };
  if (input.kind !== "unsupported" || input.failed === undefined) return null;
  if (input.failed.kind === "voice") return { lead: [t("safety.voice")], keep: null };
  const caption = input.failed.caption;
  const lead = [input.failed.kind === "refused" ? t(REFUSAL_KEYS[input.failed.reason], limitVars()) : t(input.failed.what === "photo" ? "safety.unavailable.photo" : "safety.unavailable.document")];
  if (caption === undefined || caption.trim() === "") return { lead, keep: null };
  return { lead: [...lead, t("safety.unavailable.caption", { caption: literal(caption) })], keep: { kind: "note", text: caption.trim() } };
}

/** The question a kept item would belong to, when answers may change now; null otherwise. */
function writableTarget(state: ConversationState, ctx: StepContext, preferred: string | undefined): string | null {
  const session = ctx.session;
  if (session === null || state.assessmentId !== session.assessmentId) return null;
  if (session.status === "submitted" || ctx.now < session.entryOpens || ctx.now > session.entryCloses) return null;
  return (findEntry(session.definition, preferred) ?? findEntry(session.definition, state.criterionId))?.criterion.id ?? null;
}

function offerReply(lead: readonly Text[], offer: KeepOffer): Reply {
  const question = offer.keep.kind === "note" ? "safety.keep.askNote" : "safety.keep.askEvidence";
  return {
    paragraphs: [...lead, t(question, { id: offer.criterionId })],
    choices: [
      { value: YES, label: t("answer.yes") },
      { value: NO, label: t("answer.no") },
    ],
    questionId: KEEP_QUESTION,
  };
}

/** "có"/"không" as people type them, and "1"/"2" for the numbered choices on Zalo and in the terminal. */
function yesNo(text: string, vocabulary: ReplyVocabulary): boolean | null {
  return readPlainYesNo(text, vocabulary);
}
