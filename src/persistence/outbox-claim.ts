import type { Channel } from "../domain/delivery/outbound-message.js";
import type { Lane } from "../domain/delivery/send-policy.js";
import type { Store } from "./db-client.js";
import type { DriverSql } from "./sql/driver.js";
import { sql, type SqlStatement } from "./sql/statement.js";
import { OUTBOX_LEASE_MS, toEntry, type OutboxEntry, type OutboxRow } from "./outbox-store.js";

/*
 * Claiming is per chat, not per row. A chat's messages of one lane go out in the order they were queued: a row is
 * claimed only while no earlier unsent row of its chat and lane is waiting — for a retry, for a 429's retry_after, or
 * in another sender's memory under a live lease. Across chats nothing waits for anyone.
 */

/*
 * Both look-ups are written for SQLite's planner, which has no statistics: the claim walks the (status, lane, createdAt)
 * index in queue order and stops at its limit, and each candidate's earlier rows are a range of its chat's index
 * (channel, chatId, lane, createdAt; the tie on createdAt is broken by id after it). Any other plan reads the whole
 * backlog once per candidate: with `"dedupeKey" IS NULL` for the lane, one claim over 4,000 waiting chats took 6 s.
 */
export function claimStatement(lane: Lane, channels: readonly Channel[], now: Date, leaseUntil: Date, limit: number): SqlStatement {
  return sql`
    UPDATE "OutboxMessage" SET "status" = 'sending', "nextAttemptAt" = ${leaseUntil}
    WHERE "id" IN (
      SELECT o."id" FROM "OutboxMessage" o
      WHERE o."status" = 'pending' AND o."lane" = ${lane} AND o."nextAttemptAt" <= ${now} AND o."channel" IN (${[...channels]})
        AND NOT EXISTS (
          SELECT 1 FROM "OutboxMessage" e
          WHERE e."channel" = o."channel" AND e."chatId" = o."chatId" AND e."lane" = o."lane" AND e."createdAt" <= o."createdAt"
            AND e."status" IN ('pending', 'sending') AND e."nextAttemptAt" > ${now}
            AND (e."createdAt" < o."createdAt" OR e."id" < o."id"))
      ORDER BY o."createdAt", o."id" LIMIT ${limit})
    RETURNING "id", "channel", "chatId", "identityId", "attempts", "sentParts", "payload", "dedupeKey", "createdAt"`;
}

/**
 * Rows whose lease ran out (their sender stopped, died, or was too busy to renew it) are pending again: the claim
 * reads pending rows only, so it can walk one index range in queue order.
 */
export const expiredLeasesStatement = (now: Date): SqlStatement =>
  sql`UPDATE "OutboxMessage" SET "status" = 'pending' WHERE "status" = 'sending' AND "nextAttemptAt" <= ${now}`;

/**
 * Claims up to `limit` due rows of `lane` for this sender, oldest first, by moving their lease forward; rows of a chat
 * come in their order. On PostgreSQL claims of all instances take turns under a transaction-level advisory lock (a
 * claim is a few milliseconds), so two instances never split one chat's rows between them. On SQLite (one sender) the
 * expired leases and the claim are two statements, each atomic under the database's write lock.
 */
export async function claimDue({ db, sql: driver }: Store, channels: readonly Channel[], now: Date, limit: number, lane: Lane = "interactive"): Promise<OutboxEntry[]> {
  if (channels.length === 0 || limit <= 0) return [];
  const statement = claimStatement(lane, channels, now, new Date(now.getTime() + OUTBOX_LEASE_MS), limit);
  const expired = expiredLeasesStatement(now);
  const rows =
    driver.kind === "postgres"
      ? await db.$transaction(async (tx) => {
          // One lock per schema: deployments (and test suites) in other schemas of the database claim undisturbed.
          await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('pdx-outbox-claim:' || current_schema()))`);
          await tx.$executeRawUnsafe(expired.text, ...expired.values);
          return tx.$queryRawUnsafe<OutboxRow[]>(statement.text, ...statement.values);
        })
      : await driver.run(expired).then(async () => (await driver.rows(statement)) as unknown as OutboxRow[]);
  const entries = rows.map((row) => ({ row, entry: toEntry(row) }));
  // A payload this version cannot read (e.g. "clear-buttons" rows of earlier versions) is kept but never claimed again.
  const unreadable = entries.filter((e) => e.entry === null).map((e) => e.row.id);
  if (unreadable.length > 0) await db.outboxMessage.updateMany({ where: { id: { in: unreadable } }, data: { status: "dropped", lastError: "unreadable payload" } });
  return entries.flatMap((e) => (e.entry ? [e.entry] : [])).sort(byQueueOrder);
}

/** The order rows were queued in: createdAt, then id (ids made in one transaction sort in creation order). */
export function byQueueOrder(a: OutboxEntry, b: OutboxEntry): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The unsent replies of `entry`'s chat queued before it (up to 100 ids): while there are any (other than those this
 * sender holds), `entry` must wait its turn in the table.
 */
export async function earlierUnsent(driver: DriverSql, entry: OutboxEntry): Promise<string[]> {
  const rows = await driver.rows(earlierUnsentStatement(entry));
  return rows.map((r) => String(r.id));
}

export const earlierUnsentStatement = (entry: Pick<OutboxEntry, "channel" | "chatId" | "createdAt" | "id">): SqlStatement => sql`
  SELECT "id" FROM "OutboxMessage"
  WHERE "channel" = ${entry.channel} AND "chatId" = ${entry.chatId} AND "lane" = 'interactive' AND "createdAt" <= ${entry.createdAt}
    AND "status" IN ('pending', 'sending') AND ("createdAt" < ${entry.createdAt} OR "id" < ${entry.id})
  LIMIT 100`;

/** Rows this sender holds but will not send: pending again at once, to be claimed in their chat's order. */
export async function handBack(driver: DriverSql, ids: readonly string[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  return driver.run(sql`UPDATE "OutboxMessage" SET "status" = 'pending', "nextAttemptAt" = ${now} WHERE "id" IN (${ids}) AND "status" = 'sending'`);
}

/** Moves the leases of rows this sender still holds forward, so nobody else claims them meanwhile. */
export async function renewLeases(driver: DriverSql, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await driver.run(sql`UPDATE "OutboxMessage" SET "nextAttemptAt" = ${new Date(now.getTime() + OUTBOX_LEASE_MS)} WHERE "id" IN (${ids}) AND "status" = 'sending'`);
}

/**
 * Every leased row back to pending at once: what the new sole sender does when it takes over (only the sender holds
 * leased rows, so they are the previous sender's, which stopped or died).
 */
export async function handBackAllLeased(driver: DriverSql, now: Date): Promise<number> {
  return driver.run(sql`UPDATE "OutboxMessage" SET "status" = 'pending', "nextAttemptAt" = ${now} WHERE "status" = 'sending'`);
}
