import type { Channel } from "../domain/delivery/outbound-message.js";
import { answerWrites, recordEventStep, requireDraftStep, saveAnswerSteps, writeStateStep, type AnswerWrite } from "./conversation-store.js";
import { column } from "./sql/columns.js";
import { sql, type SqlStatement } from "./sql/statement.js";
import type { DriverSql } from "./sql/driver.js";
import type { TransactionOutcome } from "./sql/steps.js";
import type { QueuedReplies } from "./outbox-store.js";
import { memberLinkQuery, requireMemberLinkStep } from "./member-link.js";
import { newRowId } from "./row-id.js";
import type { Effect } from "../domain/conversation/effects.js";

/** What the most common message writes: its event key, the new conversation state, its answers and the replies. */
export interface AnswerTransaction {
  readonly channel: Channel;
  readonly eventKey: string;
  readonly identityId: string;
  readonly expectedVersion: number;
  readonly stateJson: string;
  readonly answers: readonly AnswerWrite[];
  readonly replies: QueuedReplies;
  readonly now: Date;
}

export function answerTransaction(
  input: Omit<AnswerTransaction, "answers">,
  effects: readonly Effect[],
  scope: { assessmentId: string | undefined; personId: string | null },
): AnswerTransaction {
  return { ...input, answers: answerWrites(effects, scope) };
}

/**
 * Writes it in one transaction. On PostgreSQL that is one statement (below): every statement of a transaction is a
 * network round trip there, and eight of them were a third of an answer's cost. SQLite runs the same steps the Prisma
 * path uses, synchronously, where a statement costs microseconds.
 */
export async function writeAnswerTransaction(driver: DriverSql, t: AnswerTransaction): Promise<TransactionOutcome> {
  if (driver.kind === "postgres" && t.answers.length <= 1) {
    const [row] = await driver.rows(postgresStatement(t));
    if (!row) throw new Error("answer transaction returned no row");
    return column.number(row, "duplicate") > 0 ? "duplicate" : column.number(row, "applied") === 0 ? "stale" : "committed";
  }
  return driver.transact([
    recordEventStep(t.channel, t.eventKey, t.now),
    writeStateStep(t.identityId, t.expectedVersion, t.stateJson, t.now),
    ...[...new Set(t.answers.map((a) => a.assessmentId))].map((id) => requireDraftStep(id, driver.kind)),
    ...t.answers.map((a) => requireMemberLinkStep(t.identityId, a.personId, a.assessmentId, driver.kind)),
    ...t.answers.flatMap((answer) => saveAnswerSteps(answer, t.now)),
    ...t.replies.steps,
  ]);
}

/*
 * The same transaction as one PostgreSQL statement of data-modifying CTEs, which all see one snapshot and commit
 * together. The state compare-and-set decides: it applies only when the event was not seen, and everything else only
 * when it applied. Two messages of one person serialise on the state row (the second finds the version moved: stale,
 * and is retried); a redelivery finds its event key. The answer's history row takes the old value from the snapshot,
 * and is written, with the upsert, only when the value changes. Values in SELECT lists are cast, since PostgreSQL
 * cannot infer their types there. At most one answer: two CTEs may not write the same row.
 */
function postgresStatement(t: AnswerTransaction): SqlStatement {
  const answer = t.answers[0];
  // An answer applies only to a draft, share-locked until commit (see requireDraftStep).
  // ... by a person still linked to its agency (see member-link.ts).
  const draft = answer === undefined ? sql`` : sql`AND EXISTS (SELECT 1 FROM draft) AND EXISTS (SELECT 1 FROM link)`;
  const state =
    t.expectedVersion === 0
      ? sql`INSERT INTO "ConversationState" ("identityId", "state", "version", "updatedAt")
          SELECT ${t.identityId}::text, ${t.stateJson}::text, 1, ${t.now}::timestamp(3) WHERE NOT EXISTS (SELECT 1 FROM dup) ${draft}
          ON CONFLICT ("identityId") DO NOTHING RETURNING 1`
      : sql`UPDATE "ConversationState" SET "state" = ${t.stateJson}, "version" = ${t.expectedVersion + 1}, "updatedAt" = ${t.now}
          WHERE "identityId" = ${t.identityId} AND "version" = ${t.expectedVersion} AND NOT EXISTS (SELECT 1 FROM dup) ${draft} RETURNING 1`;
  const answerCtes =
    answer === undefined
      ? []
      : [
          sql`hist AS (
            INSERT INTO "AnswerChange" ("id", "assessmentId", "criterionId", "field", "oldValue", "newValue", "personId", "changedAt")
            SELECT ${newRowId()}::text, ${answer.assessmentId}::text, ${answer.criterionId}::text, 'value',
              (SELECT "value" FROM "Answer" WHERE "assessmentId" = ${answer.assessmentId} AND "criterionId" = ${answer.criterionId}),
              ${answer.json}::text, ${answer.personId}::text, ${t.now}::timestamp(3)
            WHERE EXISTS (SELECT 1 FROM st)
              AND NOT EXISTS (SELECT 1 FROM "Answer" WHERE "assessmentId" = ${answer.assessmentId} AND "criterionId" = ${answer.criterionId} AND "value" = ${answer.json})
            RETURNING 1)`,
          sql`ans AS (
            INSERT INTO "Answer" ("id", "assessmentId", "criterionId", "value", "answeredById", "answeredAt", "updatedAt")
            SELECT ${newRowId()}::text, ${answer.assessmentId}::text, ${answer.criterionId}::text, ${answer.json}::text, ${answer.personId}::text,
              ${t.now}::timestamp(3), ${t.now}::timestamp(3)
            WHERE EXISTS (SELECT 1 FROM hist)
            ON CONFLICT ("assessmentId", "criterionId") DO UPDATE
            SET "value" = excluded."value", "answeredById" = excluded."answeredById", "answeredAt" = excluded."answeredAt", "updatedAt" = excluded."updatedAt"
            RETURNING 1)`,
        ];
  const replies = t.replies.entries.map(
    (e) =>
      sql`(${e.id}::text, ${e.channel}::text, ${e.chatId}::text, ${e.identityId}::text, ${JSON.stringify(e.message)}::text, ${t.replies.status}::text, 0,
        ${t.replies.nextAttemptAt}::timestamp(3), ${t.now}::timestamp(3), 'interactive')`,
  );
  const replyCtes =
    replies.length === 0
      ? []
      : [
          sql`outq AS (
            INSERT INTO "OutboxMessage" ("id", "channel", "chatId", "identityId", "payload", "status", "attempts", "nextAttemptAt", "createdAt", "lane")
            SELECT v.* FROM (VALUES ${replies}) AS v WHERE EXISTS (SELECT 1 FROM st) RETURNING 1)`,
        ];
  const ctes = [
    sql`dup AS (SELECT 1 FROM "ProcessedUpdate" WHERE "channel" = ${t.channel} AND "externalKey" = ${t.eventKey})`,
    ...(answer === undefined
      ? []
      : [
          sql`draft AS (SELECT 1 FROM "Assessment" WHERE "id" = ${answer.assessmentId} AND "status" = 'draft' FOR SHARE)`,
          sql`link AS (${memberLinkQuery(t.identityId, answer.personId, answer.assessmentId, "postgres")})`,
        ]),
    sql`st AS (${state})`,
    sql`ev AS (
      INSERT INTO "ProcessedUpdate" ("id", "channel", "externalKey", "processedAt")
      SELECT ${newRowId()}::text, ${t.channel}::text, ${t.eventKey}::text, ${t.now}::timestamp(3) WHERE EXISTS (SELECT 1 FROM st)
      ON CONFLICT ("channel", "externalKey") DO NOTHING RETURNING 1)`,
    ...answerCtes,
    ...replyCtes,
  ];
  return sql`
    WITH ${ctes}
    SELECT (SELECT COUNT(*) FROM dup) AS "duplicate", (SELECT COUNT(*) FROM st) AS "applied"`;
}
