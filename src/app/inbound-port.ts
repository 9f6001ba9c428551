import type { Channel } from "../channels/channel.js";
import type { InviteLookup, PersonView, SessionView, StepContext } from "../domain/conversation/context.js";
import type { Effect } from "../domain/conversation/effects.js";
import type { TeamView } from "../domain/conversation/team-view.js";
import type { OutboundMessage } from "../domain/delivery/outbound-message.js";
import type { ProvinceView } from "../domain/results/province-view.js";
import type { Tx } from "../persistence/db-client.js";
import type { OutboxEntry } from "../persistence/outbox-store.js";
import type { LinkedPerson } from "../persistence/session-loader.js";

/*
 * What the inbound use case (handle-inbound.ts) asks of the database, and nothing more: it reads the sender's context,
 * runs the engine, and commits the outcome in one transaction. Implemented by persistence/inbound-store.ts; the use
 * case never sees SQL, Prisma or which write path a commit takes.
 */

export type { LinkedPerson, OutboxEntry };


/** The chat account a message came from, as the platform names it. */
export interface InboundAccount {
  readonly channel: Channel;
  readonly externalUserId: string;
  readonly chatId: string;
  readonly displayName?: string | undefined;
  readonly eventKey: string;
}

/** The sender before the engine runs: their chat identity (created on first contact), state and person. */
export interface SenderContext {
  readonly identity: { readonly id: string; readonly chatId: string };
  /** The stored conversation state and its version (0: none yet), compared when the new state is written. */
  readonly state: { readonly json: string | null; readonly version: number };
  readonly person: LinkedPerson | null;
  /** Set when a lead removed the person this chat belonged to. */
  readonly formerPersonId: string | null;
  /** Rows read ahead with the context for loadSession (PostgreSQL: one round trip); opaque to the use case. */
  readonly prefetched: unknown;
}

/** What one message commits: its event key, the compared-and-set state, the engine's effects and the replies. */
export interface InboundCommit {
  readonly channel: Channel;
  readonly eventKey: string;
  readonly identityId: string;
  readonly chatId: string;
  readonly displayName: string;
  readonly expectedVersion: number;
  readonly stateJson: string;
  readonly effects: readonly Effect[];
  readonly person: { readonly id: string; readonly role: PersonView["role"]; readonly agencyId: string | null; readonly provinceId: string } | null;
  readonly assessmentId: string | undefined;
  readonly replies: readonly OutboundMessage[];
  /** Queue the replies leased to this process (see InboundDeps.leaseReplies). */
  readonly leased: boolean;
  readonly now: Date;
}

/**
 * Writes of other use cases that belong in the same transaction (notices to leads, supervisors' nudges), run around
 * the effects in this order. They throw a StaleStateError to have the message read again.
 */
export interface AlsoInTransaction {
  beforeEffects(tx: Tx): Promise<void>;
  afterEffects(tx: Tx): Promise<void>;
}

/**
 * "committed", or why nothing was: "duplicate" (the event key was recorded before), "stale" (another message of the
 * same person, a submission or an invite's use committed first: read again and retry).
 */
export type CommitOutcome = "committed" | "duplicate" | "stale";

export interface InboundPort {
  /** Whether the event key was processed before: lets a redelivered batch skip its work (the commit checks again). */
  seen(channel: Channel, eventKey: string): Promise<boolean>;
  /** Null when the event key was processed before (a redelivery); otherwise the sender, touched as seen now. */
  readSender(account: InboundAccount, now: Date): Promise<SenderContext | null>;
  lookupInvite(codeHash: string, now: Date): Promise<InviteLookup>;
  /** Who removed the person a chat belonged to (rare: strangers only). */
  findRemoval(personId: string): Promise<NonNullable<StepContext["removal"]> | null>;
  loadSession(agencyId: string, now: Date, sender: SenderContext): Promise<SessionView | null>;
  loadProvinceView(provinceId: string, now: Date): Promise<ProvinceView>;
  loadTeam(agencyId: string, now: Date): Promise<TeamView>;
  /** Everything one message writes, in one transaction; the replies' outbox entries when committed. */
  commitMessage(commit: InboundCommit, also: AlsoInTransaction): Promise<{ readonly outcome: CommitOutcome; readonly outbox: readonly OutboxEntry[] }>;
  /** An event that changes no conversation (a group's message, an update that cannot be stored): its key and replies. */
  commitEventOnly(
    event: { readonly channel: Channel; readonly eventKey: string; readonly chatId: string },
    replies: readonly OutboundMessage[],
    leased: boolean,
    now: Date,
  ): Promise<{ readonly outcome: CommitOutcome; readonly outbox: readonly OutboxEntry[] }>;
}

/** The Prisma client, for the evidence and result helpers the inbound use case calls besides its port. */
export type { Db } from "../persistence/db-client.js";
