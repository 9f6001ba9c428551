import type { Effect } from "../domain/conversation/effects.js";
import type { StoredFileFacts } from "../domain/conversation/input.js";
import type { Channel } from "../domain/delivery/outbound-message.js";
import type { Store, Tx } from "./db-client.js";
import { sql } from "./sql/statement.js";
import type { TransactionStep } from "./sql/steps.js";
import { runStepsInTx } from "./sql/prisma-steps.js";
import { requireMemberLinkStep } from "./member-link.js";
import { newRowId } from "./row-id.js";
import type { KnownIdentity } from "./session-loader.js";
import { StaleStateError } from "./store-errors.js";

/** The state row changed since it was read: another message of the same person won; read again and retry. */
export { StaleStateError };

/** The invite was used by someone else between lookup and redemption. */
export class InviteTakenError extends Error {
  override name = "InviteTakenError";
}

export interface IdentityRow {
  readonly id: string;
  readonly personId: string | null;
  readonly chatId: string;
  readonly channel: string;
}

/** lastSeenAt is for supervisors ("last activity"); minute precision is plenty, and skipping the write saves a commit. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

/**
 * A name as both databases store it: a lone surrogate (not Unicode, but a platform may send one) becomes U+FFFD here,
 * where each driver would mangle it its own way (SQLite into three of them).
 */
const wellFormed = (text: string | undefined): string | undefined => (text === undefined ? undefined : text.replace(/\p{Surrogate}/gu, "\uFFFD"));

/**
 * The identity behind a chat account, created on first contact; the chat id and name follow the platform.
 * `known` is what readChatContext found: most messages come from a known, unchanged identity and write nothing here.
 */
export async function touchIdentity(
  { sql: driver }: Store,
  known: KnownIdentity | null,
  account: { readonly channel: Channel; readonly externalUserId: string; readonly chatId: string; readonly displayName?: string | undefined },
  now: Date,
): Promise<IdentityRow> {
  const { channel, externalUserId, chatId } = account;
  const displayName = wellFormed(account.displayName);
  if (
    known &&
    known.chatId === chatId &&
    (displayName === undefined || known.displayName === displayName) &&
    now.getTime() - known.lastSeenAt.getTime() < LAST_SEEN_RESOLUTION_MS
  ) {
    return { id: known.id, personId: known.personId, chatId: known.chatId, channel };
  }
  if (known) {
    await driver.run(sql`
      UPDATE "ChatIdentity" SET "chatId" = ${chatId}, "lastSeenAt" = ${now}, "displayName" = COALESCE(${displayName ?? null}, "displayName")
      WHERE "id" = ${known.id}`);
    return { id: known.id, personId: known.personId, chatId, channel };
  }
  // First contact: on the driver, as the rest of the per-message path (through Prisma's query compiler a first message
  // cost several times the allocations of an answer: a crowd of strangers is mostly first contacts).
  const [row] = await driver.rows(sql`
    INSERT INTO "ChatIdentity" ("id", "channel", "externalUserId", "chatId", "displayName", "createdAt", "lastSeenAt")
    VALUES (${newRowId()}, ${channel}, ${externalUserId}, ${chatId}, ${displayName || null}, ${now}, ${now})
    ON CONFLICT ("channel", "externalUserId") DO UPDATE
      SET "chatId" = excluded."chatId", "lastSeenAt" = excluded."lastSeenAt", "displayName" = COALESCE(excluded."displayName", "ChatIdentity"."displayName")
    RETURNING "id", "personId", "chatId"`);
  if (row === undefined) throw new Error("the identity upsert returned no row");
  return { id: String(row.id), personId: row.personId === null ? null : String(row.personId), chatId: String(row.chatId), channel };
}

/**
 * Records a platform event key; changes no row when it was recorded before (a redelivery, possibly racing this one on
 * another instance: the unique key decides), which ends the transaction as a duplicate.
 */
export function recordEventStep(channel: Channel, eventKey: string, now: Date): TransactionStep {
  return {
    kind: "write",
    noRowMeans: "duplicate",
    statement: sql`
      INSERT INTO "ProcessedUpdate" ("id", "channel", "externalKey", "processedAt") VALUES (${newRowId()}, ${channel}, ${eventKey}, ${now})
      ON CONFLICT ("channel", "externalKey") DO NOTHING`,
  };
}

/** Compare-and-set of the conversation state (version 0 means "no row yet"); a lost race ends the transaction as stale. */
export function writeStateStep(identityId: string, expectedVersion: number, json: string, now: Date): TransactionStep {
  return {
    kind: "write",
    noRowMeans: "stale",
    statement:
      expectedVersion === 0
        ? sql`
            INSERT INTO "ConversationState" ("identityId", "state", "version", "updatedAt") VALUES (${identityId}, ${json}, 1, ${now})
            ON CONFLICT ("identityId") DO NOTHING`
        : sql`
            UPDATE "ConversationState" SET "state" = ${json}, "version" = ${expectedVersion + 1}, "updatedAt" = ${now}
            WHERE "identityId" = ${identityId} AND "version" = ${expectedVersion}`,
  };
}

/**
 * Saving an answer: nothing when the stored value is the same; otherwise a history row taking the old value, then the
 * upsert. An answer is the message people send most, so these are plain SQL on the driver.
 */
export function saveAnswerSteps(answer: AnswerWrite, now: Date): TransactionStep[] {
  const { assessmentId, criterionId, json, personId } = answer;
  return [
    {
      kind: "skip-if-found",
      skip: 2,
      statement: sql`SELECT 1 AS "same" FROM "Answer" WHERE "assessmentId" = ${assessmentId} AND "criterionId" = ${criterionId} AND "value" = ${json}`,
    },
    {
      kind: "write",
      statement: sql`
        INSERT INTO "AnswerChange" ("id", "assessmentId", "criterionId", "field", "oldValue", "newValue", "personId", "changedAt")
        VALUES (${newRowId()}, ${assessmentId}, ${criterionId}, 'value',
          (SELECT "value" FROM "Answer" WHERE "assessmentId" = ${assessmentId} AND "criterionId" = ${criterionId}), ${json}, ${personId}, ${now})`,
    },
    upsertAnswerStep(answer, now),
  ];
}

/**
 * The assessment is still a draft, checked inside the transaction that changes it: a submission committed since the
 * session was read ends it as stale, and the retry reads the submitted status and tells the person. On PostgreSQL
 * the row is share-locked until commit, so a submission running beside this transaction waits for it (or, when it
 * came first, is seen here); SQLite has one writer at a time.
 */
export function requireDraftStep(assessmentId: string, database: DatabaseKind): TransactionStep {
  return {
    kind: "require",
    statement:
      database === "postgres"
        ? sql`SELECT 1 FROM "Assessment" WHERE "id" = ${assessmentId} AND "status" = 'draft' FOR SHARE`
        : sql`SELECT 1 FROM "Assessment" WHERE "id" = ${assessmentId} AND "status" = 'draft'`,
  };
}

export type DatabaseKind = "sqlite" | "postgres";

/** Effects that change a draft assessment's content (submission and reopening change its status instead). */
export function changesDraft(effects: readonly Effect[]): boolean {
  return effects.some((e) => e.kind === "save-answer" || e.kind === "save-note" || e.kind === "add-evidence");
}

export type AnswerWrite = { readonly assessmentId: string; readonly criterionId: string; readonly json: string; readonly personId: string };

/** Writes the answer's value, whether or not it had one (the benchmark's baseline uses this step alone). */
export function upsertAnswerStep({ assessmentId, criterionId, json, personId }: AnswerWrite, now: Date): TransactionStep {
  return {
    kind: "write",
    statement: sql`
      INSERT INTO "Answer" ("id", "assessmentId", "criterionId", "value", "answeredById", "answeredAt", "updatedAt")
      VALUES (${newRowId()}, ${assessmentId}, ${criterionId}, ${json}, ${personId}, ${now}, ${now})
      ON CONFLICT ("assessmentId", "criterionId") DO UPDATE
      SET "value" = excluded."value", "answeredById" = excluded."answeredById", "answeredAt" = excluded."answeredAt", "updatedAt" = excluded."updatedAt"`,
  };
}

/** The data effects that saveAnswerSteps covers alone: a message with only these needs no Prisma transaction. */
export function onlyAnswers(effects: readonly Effect[]): boolean {
  return effects.every((e) => e.kind === "reply" || e.kind === "save-answer");
}

/** The answers among `effects`, in order, as rows to write. */
export function answerWrites(effects: readonly Effect[], scope: { assessmentId: string | undefined; personId: string | null }): AnswerWrite[] {
  return effects.flatMap((effect) => {
    if (effect.kind !== "save-answer") return [];
    if (!scope.assessmentId || !scope.personId) throw new Error("save-answer without an assessment or person");
    return [{ assessmentId: scope.assessmentId, criterionId: effect.criterionId, json: JSON.stringify(effect.value), personId: scope.personId }];
  });
}

/** The steps for the answers among `effects`, in order. */
function answerSteps(effects: readonly Effect[], scope: { assessmentId: string | undefined; personId: string | null; now: Date }): TransactionStep[] {
  return answerWrites(effects, scope).flatMap((answer) => saveAnswerSteps(answer, scope.now));
}

export interface EffectScope {
  readonly now: Date;
  readonly channel: Channel;
  readonly identityId: string;
  readonly personId: string | null;
  readonly displayName: string;
  readonly assessmentId: string | undefined;
  readonly databaseKind: DatabaseKind;
}

/**
 * Applies the engine's data effects inside the caller's transaction. Every answer change is written to the
 * history with its old and new value, so a supervisor can always see who changed what and when.
 */
export async function applyEffects(tx: Tx, effects: readonly Effect[], scope: EffectScope): Promise<void> {
  if (scope.assessmentId !== undefined && changesDraft(effects)) {
    if ((await runStepsInTx(tx, [requireDraftStep(scope.assessmentId, scope.databaseKind)])) !== "committed") throw new StaleStateError();
  }
  // Answers, notes, files, submission: only by someone still linked to the agency (see member-link.ts).
  const writesAssessment = effects.some((e) => changesDraft([e]) || e.kind === "submit" || e.kind === "reopen");
  if (scope.assessmentId !== undefined && scope.personId !== null && writesAssessment) {
    const link = requireMemberLinkStep(scope.identityId, scope.personId, scope.assessmentId, scope.databaseKind);
    if ((await runStepsInTx(tx, [link])) !== "committed") throw new StaleStateError();
  }
  for (const effect of effects) {
    switch (effect.kind) {
      case "reply":
        break;
      case "redeem-invite":
        await redeemInvite(tx, effect.inviteId, scope);
        break;
      case "set-locale":
        if (scope.personId) await tx.person.update({ where: { id: scope.personId }, data: { locale: effect.locale } });
        await tx.chatIdentity.update({ where: { id: scope.identityId }, data: { locale: effect.locale } });
        break;
      case "set-reminders":
        await tx.chatIdentity.update({ where: { id: scope.identityId }, data: { remindersEnabled: effect.enabled } });
        break;
      case "save-answer":
      case "save-note":
      case "add-evidence":
      case "submit":
      case "reopen":
        await applyAssessmentEffect(tx, effect, scope);
        break;
    }
  }
}

async function redeemInvite(tx: Tx, inviteId: string, scope: EffectScope): Promise<void> {
  const invite = await tx.invite.findUnique({ where: { id: inviteId } });
  if (!invite) throw new InviteTakenError();
  const claimed = await tx.invite.updateMany({
    where: { id: inviteId, usedAt: null, expiresAt: { gt: scope.now } },
    data: { usedAt: scope.now },
  });
  if (claimed.count !== 1) throw new InviteTakenError();
  const personId =
    scope.personId ??
    (await tx.person.create({ data: { displayName: scope.displayName } })).id;
  await tx.invite.update({ where: { id: inviteId }, data: { usedByPersonId: personId } });
  await tx.roleGrant.create({
    data: { personId, role: invite.role, agencyId: invite.agencyId, provinceId: invite.provinceId, inviteId },
  });
  await tx.chatIdentity.update({ where: { id: scope.identityId }, data: { personId } });
}

type AssessmentEffect = Extract<Effect, { kind: "save-answer" | "save-note" | "add-evidence" | "submit" | "reopen" }>;

async function applyAssessmentEffect(tx: Tx, effect: AssessmentEffect, scope: EffectScope): Promise<void> {
  const { assessmentId, personId, now } = scope;
  if (!assessmentId || !personId) throw new Error(`${effect.kind} without an assessment or person`);
  switch (effect.kind) {
    case "save-answer":
      await runStepsInTx(tx, answerSteps([effect], scope));
      return;
    case "save-note": {
      const key = { assessmentId_criterionId: { assessmentId, criterionId: effect.criterionId } };
      const before = await tx.answer.findUnique({ where: key });
      await tx.answer.upsert({
        where: key,
        create: { assessmentId, criterionId: effect.criterionId, value: null, note: effect.note, answeredById: personId, answeredAt: now },
        update: { note: effect.note },
      });
      await tx.answerChange.create({
        data: { assessmentId, criterionId: effect.criterionId, field: "note", oldValue: before?.note ?? null, newValue: effect.note, personId, changedAt: now },
      });
      return;
    }
    case "add-evidence": {
      const { evidence } = effect;
      await tx.evidence.create({
        data: { assessmentId, criterionId: effect.criterionId, kind: evidence.kind, channel: scope.channel, ref: evidence.ref, fileName: evidence.fileName ?? null, caption: evidence.caption ?? null, ...evidenceFileColumns(evidence.file), addedById: personId, addedAt: now },
      });
      await tx.answerChange.create({
        data: { assessmentId, criterionId: effect.criterionId, field: "evidence", oldValue: null, newValue: JSON.stringify(evidence), personId, changedAt: now },
      });
      return;
    }
    case "submit": {
      // Only a draft can be submitted: a second "yes" (or a redelivery) must not move the submission time.
      await tx.assessment.updateMany({ where: { id: assessmentId, status: "draft" }, data: { status: "submitted", submittedAt: now, submittedById: personId } });
      return;
    }
    case "reopen":
      await tx.assessment.updateMany({ where: { id: assessmentId, status: "submitted" }, data: { status: "draft", reopenedAt: now } });
      return;
  }
}

/** The Evidence columns describing a file the service keeps (all null for links and files not fetched yet). */
export function evidenceFileColumns(file: StoredFileFacts | undefined): { sha256: string | null; sizeBytes: number | null; contentType: string | null } {
  return { sha256: file?.sha256 ?? null, sizeBytes: file?.sizeBytes ?? null, contentType: file?.contentType ?? null };
}
