import type { AnswerValue } from "../questionnaire/answer-value.js";
import type { IndexDefinition, Locale } from "../questionnaire/definition-schema.js";
import type { PreviousResult } from "../results/history.js";
import type { ProvinceView } from "../results/province-view.js";
import type { ReplyVocabulary } from "./reading/vocabulary.js";
import type { TeamView } from "./team-view.js";

/** Everything the engine may read for one message, loaded by the app before calling step(). */
export interface StepContext {
  readonly now: Date;
  readonly defaultLocale: Locale;
  /** The channel the message came in on: says how to send evidence there (Zalo has no documents). */
  readonly channel?: "telegram" | "zalo" | "console";
  /** How people type replies (locales/<lang>/input/reply-vocabulary.json), loaded once by the app. */
  readonly vocabulary: ReplyVocabulary;
  /** Drop bursts of messages from one chat (chat platforms); off for the terminal chat, where input may be piped. */
  readonly floodControl: boolean;
  /**
   * When the person sent the message, by the platform's clock. The flood limit counts this: a backlog redelivered
   * after an outage arrives all at once but was written minutes apart. Absent (a button tap): `now`.
   */
  readonly sentAt?: Date;
  readonly person: PersonView | null;
  /** An unlinked chat whose person a lead removed from their agency: who, which agency, when (told to them). */
  readonly removal?: { readonly agency: string; readonly by: string; readonly at: Date };
  /** Present when the message carries something that looks like an invite code. */
  readonly invite?: InviteLookup;
  readonly session: SessionView | null;
  /** Supervisors only: their own province in the current period (never another province). */
  readonly province?: ProvinceView;
  /** Leads managing their team (team-commands.ts): the people of their own agency, loaded only when needed. */
  readonly team?: TeamView;
  /** A fresh invite code for a lead or supervisor who may issue one with this message (the engine makes no randomness). */
  readonly newInviteCode?: string;
  /** Where a deep link that redeems a code starts (`https://t.me/<bot>?start=`), on Telegram with a bot name set. */
  readonly inviteLinkBase?: string;
}

export interface PersonView {
  readonly id: string;
  readonly name: string;
  readonly locale: Locale | null;
  readonly role: "member" | "lead" | "supervisor";
  readonly agencyName: string | null;
  readonly provinceName: string;
  /** Pillars or indicators ("P3", "P2.1") the agency's lead gave this person to answer first; empty for none. */
  readonly assignedParts?: readonly string[];
}

export type InviteLookup =
  | { readonly status: "valid"; readonly inviteId: string; readonly role: PersonView["role"]; readonly targetName: string }
  | { readonly status: "expired" | "used" | "unknown" };

export interface AnswerView {
  readonly value: AnswerValue | null;
  readonly note: string | null;
  readonly answeredById: string;
  readonly answeredByName: string;
  readonly answeredAt: Date;
  readonly evidenceCount: number;
}

/** The agency's assessment for the open period (or the latest one), with every answer. */
export interface SessionView {
  readonly assessmentId: string;
  readonly periodName: string;
  readonly entryOpens: Date;
  readonly entryCloses: Date;
  readonly status: "draft" | "submitted";
  readonly submittedAt: Date | null;
  readonly submittedByName: string | null;
  readonly definition: IndexDefinition;
  readonly answers: ReadonlyMap<string, AnswerView>;
  /** The agency's result in the latest earlier period that has one, for the change shown with the score. */
  readonly previous?: PreviousResult;
}
