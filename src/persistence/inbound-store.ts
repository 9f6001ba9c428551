import type { InboundPort, SenderContext } from "../app/inbound-port.js";
import { answerTransaction, writeAnswerTransaction } from "./answer-transaction.js";
import { applyEffects, InviteTakenError, onlyAnswers, recordEventStep, StaleStateError, touchIdentity, writeStateStep } from "./conversation-store.js";
import type { Store } from "./db-client.js";
import { outboxSteps } from "./outbox-store.js";
import { loadProvinceView } from "./results-store.js";
import { loadSession, lookupInvite, readChatContext, type SessionRows } from "./session-loader.js";
import { runStepsInTx } from "./sql/prisma-steps.js";
import { applyTeamEffects, findRemoval, loadTeam, lockTeamFor } from "./team-store.js";

/** Thrown inside a Prisma transaction to roll it back with this outcome. */
class Abandoned extends Error {
  constructor(readonly outcome: "duplicate" | "stale") {
    super(outcome);
  }
}

/** The inbound use case's port (app/inbound-port.ts) on one database. */
export function inboundStore(store: Store): InboundPort {
  const { db, sql } = store;
  return {
    seen: async (channel, eventKey) => (await db.processedUpdate.findUnique({ where: { channel_externalKey: { channel, externalKey: eventKey } } })) !== null,
    async readSender(account, now) {
      const known = await readChatContext(store, account.channel, account.externalUserId, account.eventKey);
      // Checked again when the key is recorded; this early look only spares a redelivery the work (a score card).
      if (known.seen) return null;
      const identity = await touchIdentity(store, known.identity, account, now);
      // A new identity has no state and no person yet; a touched one keeps what was read with it.
      return {
        identity,
        state: known.identity ? known.state : { json: null, version: 0 },
        person: known.identity ? known.person : null,
        formerPersonId: known.identity?.formerPersonId ?? null,
        prefetched: known.sessionRows,
      };
    },
    lookupInvite: (codeHash, now) => lookupInvite(db, codeHash, now),
    findRemoval: (personId) => findRemoval(db, personId),
    loadSession: (agencyId, now, sender: SenderContext) => loadSession(store, agencyId, now, (sender.prefetched as SessionRows | null) ?? undefined),
    loadProvinceView: (provinceId, now) => loadProvinceView(db, provinceId, now),
    loadTeam: (agencyId, now) => loadTeam(db, agencyId, now),

    async commitMessage(commit, also) {
      const { channel, eventKey, identityId, expectedVersion, stateJson, effects, person, now } = commit;
      const queued = outboxSteps({ channel, chatId: commit.chatId, identityId }, commit.replies, now, { leased: commit.leased });
      const scope = { now, assessmentId: commit.assessmentId, personId: person?.id ?? null };
      if (onlyAnswers(effects)) {
        // Most messages: an answer (or none) and replies. One transaction on the driver, no Prisma (see sql/driver.ts).
        const write = answerTransaction({ channel, eventKey, identityId, expectedVersion, stateJson, replies: queued, now }, effects, scope);
        return { outcome: await writeAnswerTransaction(sql, write), outbox: queued.entries };
      }
      try {
        await db.$transaction(async (tx) => {
          if (person !== null) await lockTeamFor(tx, effects, { personId: person.id, role: person.role, agencyId: person.agencyId });
          const outcome = await runStepsInTx(tx, [recordEventStep(channel, eventKey, now), writeStateStep(identityId, expectedVersion, stateJson, now)]);
          if (outcome !== "committed") throw new Abandoned(outcome);
          // Before the effects: it must see whether this message is the one that leaves the agency without reminders.
          await also.beforeEffects(tx);
          await applyEffects(tx, effects, { ...scope, channel, identityId, displayName: commit.displayName, databaseKind: sql.kind });
          if (person !== null) await applyTeamEffects(tx, effects, { now, personId: person.id, role: person.role, agencyId: person.agencyId, provinceId: person.provinceId });
          await also.afterEffects(tx);
          await runStepsInTx(tx, queued.steps);
        });
      } catch (error) {
        if (error instanceof Abandoned) return { outcome: error.outcome, outbox: [] };
        // Another message of the same person, a submission or the invite's other taker committed first.
        if (error instanceof StaleStateError || error instanceof InviteTakenError) return { outcome: "stale", outbox: [] };
        throw error;
      }
      return { outcome: "committed", outbox: queued.entries };
    },

    async commitEventOnly(event, replies, leased, now) {
      const queued = outboxSteps({ channel: event.channel, chatId: event.chatId, identityId: null }, replies, now, { leased });
      const outcome = await sql.transact([recordEventStep(event.channel, event.eventKey, now), ...queued.steps]);
      return { outcome, outbox: outcome === "committed" ? queued.entries : [] };
    },
  };
}
