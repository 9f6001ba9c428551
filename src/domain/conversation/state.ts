import { z } from "zod";
import { deepFreeze } from "../deep-freeze.js";
import { keepOfferSchema } from "./keep-offer-state.js";
import { teamPendingSchema } from "./team-state.js";

/**
 * What the engine remembers about one chat identity between messages. Stored as JSON in ConversationState and
 * parsed back with this schema, so a corrupted or older document falls back to a fresh state instead of crashing.
 */
const pendingSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }),
  /** Picking options of a several-choice question, saved on "done". */
  z.object({ kind: z.literal("multi"), criterionId: z.string(), selected: z.array(z.string()) }),
  /**
   * The answer would replace one someone else gave: waiting for yes/no. `note`: a remark typed with the answer;
   * `resume`: where the person was when they changed an earlier question.
   */
  z.object({ kind: z.literal("confirm-overwrite"), criterionId: z.string(), value: z.json(), note: z.string().optional(), resume: z.string().optional() }),
  z.object({ kind: z.literal("confirm-submit") }),
  /** The next text message is the note for this criterion. */
  z.object({ kind: z.literal("note"), criterionId: z.string() }),
  /** A numbered menu is showing: digits pick a menu item. */
  z.object({ kind: z.literal("menu") }),
  /** "đến 5" could mean question 5 or pillar 5: the numbered targets offered, as criterion ids. */
  z.object({ kind: z.literal("clarify-goto"), targets: z.array(z.string()) }),
  /** The plan was shown up to item `shown`: "xem thêm" lists the next ones. */
  z.object({ kind: z.literal("plan"), shown: z.number().int().min(0) }),
]);

export const conversationStateSchema = z.object({
  version: z.literal(1),
  locale: z.enum(["vi", "en"]).optional(),
  /** The assessment and the criterion this person is on; kept per person so members each keep their place. */
  assessmentId: z.string().optional(),
  criterionId: z.string().optional(),
  pending: pendingSchema,
  /** The criterion the previous message answered: a note, photo or file sent right after belongs to it. */
  justAnswered: z.string().optional(),
  /**
   * Where the person was when they went back to look at or change an earlier question: the unanswered question they
   * had reached. Changing the earlier answer brings them back here rather than to the first open question.
   */
  resumeAt: z.string().optional(),
  /** When this person last wrote; a long pause starts a new session, in which the tips are shown again. */
  seenAt: z.string().optional(),
  /** Tips already shown this session (how to answer each kind of question, evidence, the unofficial note). */
  tips: z.array(z.string()).optional(),
  teamPending: teamPendingSchema.optional(),
  /** Forwarded text or a file, or a lost photo's caption, offered as a note or evidence (keep-offer.ts). */
  keepOffer: keepOfferSchema.optional(),
  /** Wrong invite codes: after a few, the chat must wait before trying again. */
  codeFailures: z.number().int().min(0),
  codeLockedUntil: z.string().optional(),
  /** Flood control: messages counted in a short window; `floodNotified` so the notice is sent once. */
  floodWindowStart: z.string().optional(),
  floodCount: z.number().int().min(0),
  floodNotified: z.boolean(),
});

export type ConversationState = z.infer<typeof conversationStateSchema>;
export type Pending = ConversationState["pending"];

export const initialState = (): ConversationState => ({
  version: 1,
  pending: { kind: "none" },
  codeFailures: 0,
  floodCount: 0,
  floodNotified: false,
});

/**
 * States parsed lately, by their JSON: a person's next message usually brings back the document their previous one
 * stored, and checking it against the schema again was a noticeable part of an answer's cost. Frozen, since they are
 * shared; the engine only ever makes new states from them.
 */
const parsedStates = new Map<string, ConversationState>();
const PARSED_STATES_KEPT = 2_000;

export function parseState(json: string | null | undefined): ConversationState {
  if (!json) return initialState();
  const known = parsedStates.get(json);
  if (known !== undefined) return known;
  let state: ConversationState;
  try {
    const parsed = conversationStateSchema.safeParse(JSON.parse(json));
    if (!parsed.success) return initialState();
    state = deepFreeze(parsed.data);
  } catch {
    return initialState();
  }
  if (parsedStates.size >= PARSED_STATES_KEPT) parsedStates.delete(parsedStates.keys().next().value ?? "");
  parsedStates.set(json, state);
  return state;
}

