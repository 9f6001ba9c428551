import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { AnswerValue } from "../../src/domain/questionnaire/answer-value.js";
import type { IndexDefinition, LocalizedText } from "../../src/domain/questionnaire/definition-schema.js";
import { formatProblem, validateDefinition } from "../../src/domain/questionnaire/validate-definition.js";
import type { AnswerView, InviteLookup, PersonView, SessionView, StepContext } from "../../src/domain/conversation/context.js";
import type { Effect, Reply } from "../../src/domain/conversation/effects.js";
import type { Input } from "../../src/domain/conversation/input.js";
import { initialState, type ConversationState } from "../../src/domain/conversation/state.js";
import { step } from "../../src/domain/conversation/step.js";
import { replyVocabulary } from "../../src/i18n/reply-vocabulary.js";
import type { Text } from "../../src/domain/conversation/text.js";

/**
 * Test support for the conversation engine (not shipped behaviour): hand-built contexts, a tiny in-memory
 * "database" that applies the engine's effects to a SessionView, and a chat driver that feeds the engine's own
 * state back in, as handle-inbound.ts does with the real database.
 */

/** Inside the entry window of {@link sessionOf}'s default period. */
export const NOW = new Date("2024-11-01T03:00:00Z");
export const ENTRY_OPENS = new Date("2024-10-01T00:00:00Z");
/** 23:59 on 15/11/2024 in Vietnam time. */
export const ENTRY_CLOSES = new Date("2024-11-15T16:59:59Z");

function validated(json: unknown): IndexDefinition {
  const result = validateDefinition(json);
  if (!result.ok) throw new Error(`test definition is invalid:\n${result.problems.map(formatProblem).join("\n")}`);
  return result.definition;
}

/** The shipped 2024 definition (43 criteria), validated exactly as the product loads it. */
export function shippedDefinition(): IndexDefinition {
  const file = fileURLToPath(new URL("../../definitions/press-dx-1827-2024.json", import.meta.url));
  return validated(JSON.parse(readFileSync(file, "utf8")) as unknown);
}

const both = (vi: string, en: string): LocalizedText => ({ vi, en });

/**
 * Six criteria covering every answer type and unit: P1.1.1 yes/no (with help), P1.1.2 one choice, P1.2.1 several
 * choices (evidence required), P2.1.1 count 0–500, P2.1.2 vnd from 1000 (no max), P2.1.3 percent 10–90.
 */
export function tinyDefinition(): IndexDefinition {
  return validated({
    id: "tiny-test",
    title: both("Bo thu", "Test set"),
    source: { decision: "0/TEST", issuedOn: "2024-01-01", official: false, note: both("Ban thu nghiem", "Trial version") },
    maxScore: 9,
    levels: [
      { id: "low", name: both("Thap", "Low"), minScore: 0 },
      { id: "high", name: both("Cao", "High"), minScore: 5 },
    ],
    pillars: [
      {
        id: "P1",
        name: both("Tru cot mot", "Pillar one"),
        maxScore: 6,
        indicators: [
          {
            id: "P1.1",
            name: both("Chi so 1.1", "Indicator 1.1"),
            criteria: [
              {
                id: "P1.1.1",
                question: both("Co ke hoach khong?", "Is there a plan?"),
                help: both("Ke hoach da duoc ky", "A signed plan"),
                maxScore: 1,
                evidence: "optional",
                answer: { type: "yesno" },
              },
              {
                id: "P1.1.2",
                question: both("Muc do ban hanh?", "How far issued?"),
                maxScore: 2,
                evidence: "none",
                answer: {
                  type: "choice",
                  options: [
                    { id: "a", label: both("Chua ban hanh", "Not issued"), score: 0 },
                    { id: "b", label: both("Da ban hanh", "Issued"), score: 1 },
                    { id: "c", label: both("Da ban hanh, giao ro viec", "Issued with tasks"), score: 2 },
                  ],
                },
              },
            ],
          },
          {
            id: "P1.2",
            name: both("Chi so 1.2", "Indicator 1.2"),
            criteria: [
              {
                id: "P1.2.1",
                question: both("Nguon thu nao?", "Which revenue?"),
                maxScore: 3,
                evidence: "required",
                answer: {
                  type: "multi",
                  options: [
                    { id: "ads", label: both("Quang cao", "Ads"), score: 1 },
                    { id: "subs", label: both("Thue bao", "Subscriptions"), score: 1 },
                    { id: "events", label: both("Su kien", "Events"), score: 1 },
                  ],
                },
              },
            ],
          },
        ],
      },
      {
        id: "P2",
        name: both("Tru cot hai", "Pillar two"),
        maxScore: 3,
        indicators: [
          {
            id: "P2.1",
            name: both("Chi so 2.1", "Indicator 2.1"),
            criteria: [
              {
                id: "P2.1.1",
                question: both("So nhan su?", "Staff count?"),
                maxScore: 1,
                evidence: "none",
                answer: { type: "number", unit: "count", min: 0, max: 500, linear: { target: 100 } },
              },
              {
                id: "P2.1.2",
                question: both("Doanh thu so?", "Digital revenue?"),
                maxScore: 1,
                evidence: "none",
                answer: { type: "number", unit: "vnd", min: 1000, bands: [{ from: 1000, score: 0 }, { from: 1_000_000, score: 1 }] },
              },
              {
                id: "P2.1.3",
                question: both("Ty le?", "Share?"),
                maxScore: 1,
                evidence: "none",
                answer: { type: "number", unit: "percent", min: 10, max: 90, linear: { target: 90 } },
              },
            ],
          },
        ],
      },
    ],
  });
}

export function personOf(role: PersonView["role"], overrides: Partial<PersonView> = {}): PersonView {
  return {
    id: `person-${role}`,
    name: role === "lead" ? "Lead Tran" : role === "member" ? "Member Le" : "Supervisor Pham",
    locale: null,
    role,
    agencyName: role === "supervisor" ? null : "Bao Thu Nghiem",
    provinceName: "Tinh Thu Nghiem",
    ...overrides,
  };
}

export function sessionOf(definition: IndexDefinition, overrides: Partial<SessionView> = {}): SessionView {
  return {
    assessmentId: "assessment-1",
    periodName: "2024",
    entryOpens: ENTRY_OPENS,
    entryCloses: ENTRY_CLOSES,
    status: "draft",
    submittedAt: null,
    submittedByName: null,
    definition,
    answers: new Map(),
    ...overrides,
  };
}

/** An answer on file, given by `by` (another member unless said otherwise). */
export function answerOf(value: AnswerValue | null, by: { id: string; name: string } = { id: "someone-else", name: "Other Nguyen" }, extra: Partial<AnswerView> = {}): AnswerView {
  return { value, note: null, answeredById: by.id, answeredByName: by.name, answeredAt: new Date("2024-10-20T02:30:00Z"), evidenceCount: 0, ...extra };
}

export interface ContextOptions {
  readonly now?: Date;
  readonly person?: PersonView | null;
  readonly session?: SessionView | null;
  readonly invite?: InviteLookup;
  readonly floodControl?: boolean;
}

export function contextOf(options: ContextOptions = {}): StepContext {
  return {
    now: options.now ?? NOW,
    defaultLocale: "vi",
    vocabulary: replyVocabulary(),
    floodControl: options.floodControl ?? false,
    person: options.person === undefined ? personOf("member") : options.person,
    session: options.session === undefined ? null : options.session,
    ...(options.invite === undefined ? {} : { invite: options.invite }),
  };
}

/** What the app would persist for these effects, applied to an in-memory session. */
export function applyEffects(session: SessionView, effects: readonly Effect[], person: PersonView, now: Date): SessionView {
  const answers = new Map(session.answers);
  let next: SessionView = session;
  for (const effect of effects) {
    switch (effect.kind) {
      case "save-answer": {
        const previous = answers.get(effect.criterionId);
        answers.set(effect.criterionId, {
          value: effect.value,
          note: previous?.note ?? null,
          answeredById: person.id,
          answeredByName: person.name,
          answeredAt: now,
          evidenceCount: previous?.evidenceCount ?? 0,
        });
        break;
      }
      case "save-note": {
        const previous = answers.get(effect.criterionId);
        answers.set(effect.criterionId, previous ? { ...previous, note: effect.note } : { ...answerOf(null, person), note: effect.note, answeredAt: now });
        break;
      }
      case "add-evidence": {
        const previous = answers.get(effect.criterionId) ?? { ...answerOf(null, person), answeredAt: now };
        answers.set(effect.criterionId, { ...previous, evidenceCount: previous.evidenceCount + 1 });
        break;
      }
      case "submit":
        next = { ...next, status: "submitted", submittedAt: now, submittedByName: person.name };
        break;
      case "reopen":
        next = { ...next, status: "draft", submittedAt: null, submittedByName: null };
        break;
      default:
        break;
    }
  }
  return { ...next, answers };
}

export const text = (value: string): Input => ({ kind: "text", text: value });
export const pick = (questionId: string, value: string): Input => ({ kind: "pick", questionId, value });

/**
 * A scripted conversation: each message runs step() on the state the previous one returned, then the effects are
 * applied to the in-memory session, so the next message sees what was saved.
 */
export class Chat {
  state: ConversationState;
  session: SessionView | null;
  person: PersonView | null;
  now: Date;
  readonly floodControl: boolean;
  invite: InviteLookup | undefined;

  constructor(options: ContextOptions & { readonly state?: ConversationState } = {}) {
    this.state = options.state ?? initialState();
    this.session = options.session === undefined ? null : options.session;
    this.person = options.person === undefined ? personOf("member") : options.person;
    this.now = options.now ?? NOW;
    this.floodControl = options.floodControl ?? false;
    this.invite = options.invite;
  }

  send(input: Input | string): readonly Effect[] {
    const event = typeof input === "string" ? text(input) : input;
    const ctx = contextOf({
      now: this.now,
      person: this.person,
      session: this.session,
      floodControl: this.floodControl,
      ...(this.invite === undefined ? {} : { invite: this.invite }),
    });
    const result = step(this.state, event, ctx);
    this.state = result.state;
    if (this.session !== null && this.person !== null) this.session = applyEffects(this.session, result.effects, this.person, this.now);
    return result.effects;
  }

  /** Sends and returns the only reply the message produced (fails the test if there is not exactly one). */
  reply(input: Input | string): Reply {
    return onlyReply(this.send(input));
  }
}

export function repliesOf(effects: readonly Effect[]): Reply[] {
  return effects.flatMap((e) => (e.kind === "reply" ? [e.reply] : []));
}

export function onlyReply(effects: readonly Effect[]): Reply {
  const replies = repliesOf(effects);
  if (replies.length !== 1) throw new Error(`expected exactly one reply, got ${replies.length}: ${JSON.stringify(effects)}`);
  const [reply] = replies;
  if (reply === undefined) throw new Error("unreachable");
  return reply;
}

export function dataEffects(effects: readonly Effect[]): Effect[] {
  return effects.filter((e) => e.kind !== "reply");
}

/** Every message key in a text, including keys nested in lines and in variables. */
export function keysOfText(value: Text): string[] {
  switch (value.kind) {
    case "literal":
      return [];
    case "lines":
      return value.lines.flatMap(keysOfText);
    case "key":
      return [
        value.key,
        ...Object.values(value.vars ?? {}).flatMap((v) => (typeof v === "object" && !(v instanceof Date) ? keysOfText(v) : [])),
      ];
  }
}

/** The message keys of a reply's paragraphs, in order (nested keys included). */
export function keysOf(reply: Reply): string[] {
  return reply.paragraphs.flatMap(keysOfText);
}

/** The message keys of every reply among the effects. */
export function replyKeys(effects: readonly Effect[]): string[] {
  return repliesOf(effects).flatMap(keysOf);
}

/** The variables of the first text with this key in a reply (searching lines too). */
export function varsOf(reply: Reply, key: string): Readonly<Record<string, unknown>> | undefined {
  const find = (value: Text): Readonly<Record<string, unknown>> | undefined => {
    if (value.kind === "key") return value.key === key ? (value.vars ?? {}) : undefined;
    if (value.kind === "lines") {
      for (const line of value.lines) {
        const found = find(line);
        if (found) return found;
      }
    }
    return undefined;
  };
  for (const paragraph of reply.paragraphs) {
    const found = find(paragraph);
    if (found) return found;
  }
  return undefined;
}

/** The literal texts of a reply (question wording, option labels shown as text). */
export function literalsOf(reply: Reply): string[] {
  const walk = (value: Text): string[] => (value.kind === "literal" ? [value.text] : value.kind === "lines" ? value.lines.flatMap(walk) : []);
  return reply.paragraphs.flatMap(walk);
}
