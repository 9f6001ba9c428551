import type { Db } from "./db-client.js";

/*
 * What the service deletes, and what it never does. Kept: everything an audit needs — people, grants, answers, their
 * change history, notes, evidence, assessments — for ever. Deleted when old: the keys of processed updates (they only
 * tell a redelivery from a new message, and platforms stop redelivering within a day), outbox rows that reached a
 * final state (their text repeats names, answers and notes), and chat accounts of strangers who never linked and have
 * not written for long, with their conversation state. Every delete goes in batches, so a first run on a large
 * database never holds SQLite's write lock (or a PostgreSQL transaction) for long.
 */

/** Days each kind of row is kept (RETENTION_* in src/config.ts). */
export interface RetentionPolicy {
  readonly processedUpdateDays: number;
  readonly outboxDays: number;
  readonly strangerDays: number;
}

export interface RetentionCounts {
  readonly processedUpdates: number;
  readonly outboxRows: number;
  readonly strangers: number;
}

/** Statuses nothing will change any more; rows in any other status (waiting, being sent, new ones) are never touched. */
export const FINAL_OUTBOX_STATUSES = ["sent", "failed", "dropped"] as const;
/**
 * Reminders and nudges are made once by their dedupe key, which a reminder's window may consult until its deadline:
 * such rows are kept a year and a month whatever the policy, so no reminder of a period is ever sent twice.
 */
export const DEDUPE_KEY_KEEP_DAYS = 400;
/** Rows per statement: under the bound Prisma puts on query parameters for SQLite. */
const BATCH = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

const daysBefore = (now: Date, days: number): Date => new Date(now.getTime() - days * DAY_MS);

/** Deletes what the policy lets go as of `now`; resolves with how many rows of each kind went. */
export async function deleteExpired(db: Db, policy: RetentionPolicy, now: Date): Promise<RetentionCounts> {
  const processedUpdates = await inBatches(
    () => db.processedUpdate.findMany({ where: { processedAt: { lt: daysBefore(now, policy.processedUpdateDays) } }, select: { id: true }, take: BATCH }),
    (ids) => db.processedUpdate.deleteMany({ where: { id: { in: ids } } }),
  );
  const outboxCutoff = daysBefore(now, policy.outboxDays);
  const keyedCutoff = daysBefore(now, Math.max(policy.outboxDays, DEDUPE_KEY_KEEP_DAYS));
  const outboxRows = await inBatches(
    () =>
      db.outboxMessage.findMany({
        where: {
          status: { in: [...FINAL_OUTBOX_STATUSES] },
          OR: [{ dedupeKey: null, createdAt: { lt: outboxCutoff } }, { createdAt: { lt: keyedCutoff } }],
        },
        select: { id: true },
        take: BATCH,
      }),
    (ids) => db.outboxMessage.deleteMany({ where: { id: { in: ids } } }),
  );
  return { processedUpdates, outboxRows, strangers: await deleteIdleStrangers(db, daysBefore(now, policy.strangerDays)) };
}

/**
 * Chat accounts never linked to a person (or unlinked by a removal) that have not written since `cutoff`, with their
 * conversation state. One with a message still waiting to go out is left for a later run: the sender may still
 * need to mark it unreachable.
 */
async function deleteIdleStrangers(db: Db, cutoff: Date): Promise<number> {
  let deleted = 0;
  let after = "";
  for (;;) {
    const idle = await db.chatIdentity.findMany({
      where: { personId: null, lastSeenAt: { lt: cutoff }, id: { gt: after } },
      select: { id: true },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    if (idle.length === 0) return deleted;
    after = idle.at(-1)?.id ?? after;
    const ids = idle.map((row) => row.id);
    const waiting = await db.outboxMessage.findMany({
      where: { identityId: { in: ids }, status: { notIn: [...FINAL_OUTBOX_STATUSES] } },
      select: { identityId: true },
    });
    const busy = new Set(waiting.map((row) => row.identityId));
    const gone = ids.filter((id) => !busy.has(id));
    if (gone.length === 0) continue;
    await db.$transaction(async (tx) => {
      // Read again inside the transaction: one that wrote (or was linked) meanwhile stays, with its state.
      const still = await tx.chatIdentity.findMany({ where: { id: { in: gone }, personId: null, lastSeenAt: { lt: cutoff } }, select: { id: true } });
      const stillIds = still.map((row) => row.id);
      await tx.conversationState.deleteMany({ where: { identityId: { in: stillIds } } });
      deleted += (await tx.chatIdentity.deleteMany({ where: { id: { in: stillIds } } })).count;
    });
  }
}

/** Finds a batch, deletes it, until a batch comes back empty; the total deleted. */
async function inBatches(find: () => Promise<{ id: string }[]>, remove: (ids: string[]) => Promise<{ count: number }>): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await find();
    if (rows.length === 0) return total;
    total += (await remove(rows.map((row) => row.id))).count;
  }
}
