import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimStatement, earlierUnsentStatement } from "../../src/persistence/outbox-claim.js";
import { outboxSteps } from "../../src/persistence/outbox-store.js";
import { rawSql, sql } from "../../src/persistence/sql/statement.js";
import { sqliteKind, type TestDatabase } from "../support/databases.js";

/**
 * How SQLite runs the outbox's look-ups. Without statistics its planner took the lane's `"dedupeKey" IS NULL` for a
 * look-up in the unique dedupe index — which every reply ever queued matches — and walked the whole table for each chat:
 * one claim over 4,000 waiting chats took 6 s and held the event loop (the benchmark's strangers under 429 never
 * finished). The claim must walk its lane in queue order and stop at its limit, each chat's look-up stay in its chat.
 * PostgreSQL plans from the statistics it keeps, so the shape of the SQL does not decide there.
 */
describe("the outbox look-ups on SQLite", () => {
  let database: TestDatabase;
  const now = new Date("2026-11-20T03:00:00Z");
  const reply = { kind: "reply" as const, reply: { text: "x", choices: [], questionId: undefined } };

  beforeAll(async () => {
    database = await sqliteKind.open({ seed: false });
    // A served history: many chats' sent replies, a few still waiting, and reminders.
    for (let chat = 0; chat < 2_000; chat += 1) {
      const queued = outboxSteps({ channel: "telegram", chatId: String(chat), identityId: null }, [reply, reply], now);
      await database.sql.transact(queued.steps);
    }
    await database.sql.run(sql`UPDATE "OutboxMessage" SET "status" = 'sent' WHERE CAST("chatId" AS INTEGER) >= 50`);
    await database.sql.run(sql`UPDATE "OutboxMessage" SET "lane" = 'proactive', "dedupeKey" = 'reminder:' || "id" WHERE CAST("chatId" AS INTEGER) BETWEEN 40 AND 80`);
  });
  afterAll(async () => {
    await database.close();
  });

  async function plan(statement: ReturnType<typeof sql>): Promise<string[]> {
    const rows = await database.sql.rows(sql`${rawSql("EXPLAIN QUERY PLAN")} ${statement}`);
    return rows.map((row) => String(row.detail));
  }

  it.each(["interactive", "proactive"] as const)("when the %s lane is claimed, then each due row's earlier rows are looked up in its chat's index", async (lane) => {
    const steps = await plan(claimStatement(lane, ["telegram", "zalo"], now, new Date(now.getTime() + 6_000), 200));
    expect(steps.join("\n")).not.toMatch(/dedupeKey_key|SCAN|TEMP B-TREE FOR ORDER BY/);
    // Walked in queue order (only the tie on createdAt is sorted), stopping at the limit.
    expect(steps.find((step) => step.startsWith("SEARCH o "))).toMatch(/^SEARCH o USING (COVERING )?INDEX OutboxMessage_status_lane_createdAt_nextAttemptAt_idx \(status=\? AND lane=\?\)$/);
    const subquery = steps.slice(steps.findIndex((step) => step.includes("CORRELATED")) + 1);
    expect(subquery[0]).toMatch(/^SEARCH e USING INDEX OutboxMessage_channel_chatId_lane_createdAt_idx \(channel=\? AND chatId=\? AND lane=\? AND createdAt<\?\)$/);
  });

  it("when a reply checks for an earlier unsent one of its chat, then only that chat's rows are read", async () => {
    const steps = await plan(earlierUnsentStatement({ channel: "telegram", chatId: "7", createdAt: now, id: "z" }));
    expect(steps).toEqual([expect.stringMatching(/^SEARCH OutboxMessage USING INDEX OutboxMessage_channel_chatId_lane_createdAt_idx \(channel=\? AND chatId=\? AND lane=\? AND createdAt<\?\)$/)]);
  });

  it("when the look-up runs, then it finds exactly the chat's unsent replies queued before (same moment: by id)", async () => {
    const [first, second] = await database.db.outboxMessage.findMany({ where: { chatId: "7" }, orderBy: { id: "asc" } });
    if (!first || !second) throw new Error("chat 7 has two rows");
    const earlier = async (row: typeof first) => (await database.sql.rows(earlierUnsentStatement({ channel: "telegram", chatId: "7", createdAt: row.createdAt, id: row.id }))).map((r) => r.id);
    expect(await earlier(second)).toEqual([first.id]);
    expect(await earlier(first)).toEqual([]);
  });
});
