import { z } from "zod";
import type { Channel, OutboundMessage } from "../domain/delivery/outbound-message.js";
import type { Db, Tx } from "./db-client.js";
import type { DriverSql } from "./sql/driver.js";
import { sql } from "./sql/statement.js";
import type { TransactionStep } from "./sql/steps.js";
import { runStepsInTx } from "./sql/prisma-steps.js";
import { newRowId } from "./row-id.js";
import { isUniqueViolation } from "./store-errors.js";

/** A message waiting to be delivered, already rendered in the recipient's language. */
export interface OutboxEntry {
  readonly id: string;
  readonly channel: Channel;
  readonly chatId: string;
  readonly identityId: string | null;
  readonly attempts: number;
  /** When it was queued: with the id, the order of a chat's messages. */
  readonly createdAt: Date;
  /** Parts of a long message an earlier attempt delivered (not sent again). */
  readonly sentParts?: number;
  readonly message: OutboundMessage;
  /**
   * Set on computed messages (reminders: `reminder:…`, nudges): the proactive lane. Null on replies (the interactive
   * lane). A chat's messages go in order within each lane.
   */
  readonly dedupeKey?: string | null;
}

/**
 * How long a claimed row stays invisible to other senders. Short, and renewed while the row waits in the sender's memory
 * (OUTBOX_LEASE_RENEW_MS), so a sender that died frees its rows within seconds.
 */
export const OUTBOX_LEASE_MS = 6_000;
/** How often a sender moves the leases of the rows it holds forward. */
export const OUTBOX_LEASE_RENEW_MS = 1_500;
export { OUTBOX_MAX_ATTEMPTS } from "../domain/delivery/retry-decision.js";

/** Replies ready to be written: their entries, the steps that write them, and the row fields they share. */
export interface QueuedReplies {
  readonly entries: OutboxEntry[];
  readonly steps: TransactionStep[];
  readonly status: "pending" | "sending";
  readonly nextAttemptAt: Date;
}

/**
 * The rows for `messages`, ready to be written in the caller's transaction. Leased rows belong to the process that
 * queued them until the lease runs out (see OutboxDeliverer.deliverClaimed). The ids keep the messages in order.
 */
export function outboxSteps(
  target: { channel: Channel; chatId: string; identityId: string | null },
  messages: readonly OutboundMessage[],
  now: Date,
  options: { readonly leased?: boolean } = {},
): QueuedReplies {
  const status = options.leased ? "sending" : "pending";
  const nextAttemptAt = options.leased ? new Date(now.getTime() + OUTBOX_LEASE_MS) : now;
  const entries: OutboxEntry[] = messages.map((message) => ({ id: newRowId(), ...target, attempts: 0, createdAt: now, message }));
  const rows = entries.map((e) => sql`(${e.id}, ${e.channel}, ${e.chatId}, ${e.identityId}, ${JSON.stringify(e.message)}, ${status}, 0, ${nextAttemptAt}, ${now}, 'interactive')`);
  // One statement for all of them: a round trip less per message on PostgreSQL.
  const steps: TransactionStep[] =
    rows.length === 0
      ? []
      : [
          {
            kind: "write",
            statement: sql`
              INSERT INTO "OutboxMessage" ("id", "channel", "chatId", "identityId", "payload", "status", "attempts", "nextAttemptAt", "createdAt", "lane")
              VALUES ${rows}`,
          },
        ];
  return { entries, steps, status, nextAttemptAt };
}

export async function enqueue(
  tx: Tx,
  target: { channel: Channel; chatId: string; identityId: string | null },
  messages: readonly OutboundMessage[],
  now: Date,
  options: { readonly leased?: boolean } = {},
): Promise<OutboxEntry[]> {
  const { entries, steps } = outboxSteps(target, messages, now, options);
  await runStepsInTx(tx, steps);
  return entries;
}

const choiceSchema = z.object({ value: z.string(), label: z.string(), selected: z.boolean() });
const messageSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("reply"),
    reply: z.object({ text: z.string(), choices: z.array(choiceSchema), questionId: z.string().optional(), listed: z.literal(false).optional() }),
  }),
  z.object({ kind: z.literal("photo"), file: z.string(), caption: z.string() }),
  z.object({ kind: z.literal("document"), file: z.string(), fileName: z.string(), caption: z.string() }),
]);

/** A row as the claim reads it back (createdAt is text on SQLite, a Date on PostgreSQL). */
export interface OutboxRow {
  id: string;
  channel: string;
  chatId: string;
  identityId: string | null;
  attempts: number;
  sentParts: number;
  payload: string;
  dedupeKey?: string | null;
  createdAt: Date | string;
}

/** The entry of a stored row; null when this version cannot read its payload. */
export function toEntry(row: OutboxRow): OutboxEntry | null {
  const parsed = messageSchema.safeParse(JSON.parse(row.payload));
  if (!parsed.success || (row.channel !== "telegram" && row.channel !== "zalo" && row.channel !== "console")) return null;
  const message: OutboundMessage =
    parsed.data.kind === "reply" ? { kind: "reply", reply: { ...parsed.data.reply, questionId: parsed.data.reply.questionId } } : parsed.data;
  const createdAt = row.createdAt instanceof Date ? row.createdAt : new Date(row.createdAt);
  return { id: row.id, channel: row.channel, chatId: row.chatId, identityId: row.identityId, attempts: row.attempts, createdAt, sentParts: row.sentParts, message, dedupeKey: row.dedupeKey ?? null };
}

export async function markSent(driver: DriverSql, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await driver.run(sql`UPDATE "OutboxMessage" SET "status" = 'sent', "sentAt" = ${now} WHERE "id" IN (${ids})`);
}

/*
 * What follows a send, on the driver: under a 429 storm every waiting message comes back here once per retry, and
 * through Prisma each update was compiled anew.
 */

/** Back to "pending" until `nextAttemptAt`; `sentParts` of a long message are not sent again. */
export async function markRetry(driver: DriverSql, id: string, attempts: number, nextAttemptAt: Date, error: string, sentParts = 0): Promise<void> {
  await driver.run(sql`
    UPDATE "OutboxMessage" SET "status" = 'pending', "attempts" = ${attempts}, "nextAttemptAt" = ${nextAttemptAt}, "lastError" = ${error}, "sentParts" = ${sentParts}
    WHERE "id" = ${id}`);
}

export async function markFailed(driver: DriverSql, id: string, attempts: number, error: string): Promise<void> {
  await driver.run(sql`UPDATE "OutboxMessage" SET "status" = 'failed', "attempts" = ${attempts}, "lastError" = ${error} WHERE "id" = ${id}`);
}

/** Dropped before sending (a reminder whose deadline passed or whose agency submitted): kept, never sent. */
export async function markDropped(driver: DriverSql, id: string, reason: string): Promise<void> {
  await driver.run(sql`UPDATE "OutboxMessage" SET "status" = 'dropped', "lastError" = ${reason} WHERE "id" = ${id}`);
}

/** Handed back unsent until `until` (quiet hours), without counting an attempt. */
export async function markDeferred(driver: DriverSql, id: string, until: Date): Promise<void> {
  await driver.run(sql`UPDATE "OutboxMessage" SET "status" = 'pending', "nextAttemptAt" = ${until} WHERE "id" = ${id}`);
}

/**
 * Queues one computed message under its dedupe key, outside any transaction. Resolves "exists" when a row with the
 * key is already there: computed twice, or by another instance at the same moment (the unique index decides).
 */
export async function enqueueOnce(
  db: Db,
  target: { channel: Channel; chatId: string; identityId: string | null },
  message: OutboundMessage,
  dedupeKey: string,
  now: Date,
): Promise<"queued" | "exists"> {
  try {
    await db.outboxMessage.create({
      data: { channel: target.channel, chatId: target.chatId, identityId: target.identityId, payload: JSON.stringify(message), dedupeKey, lane: "proactive", nextAttemptAt: now, createdAt: now },
    });
    return "queued";
  } catch (error) {
    if (isUniqueViolation(error)) return "exists";
    throw error;
  }
}

/** The dedupe keys already queued (in any status) that start with `prefix`. */
export async function existingDedupeKeys(db: Db, prefix: string): Promise<Set<string>> {
  const rows = await db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: prefix } }, select: { dedupeKey: true } });
  return new Set(rows.flatMap((r) => (r.dedupeKey === null ? [] : [r.dedupeKey])));
}
