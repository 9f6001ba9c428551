import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retentionPolicy, scheduleRetention } from "../../src/app/retention.js";
import { ConfigError, loadConfig } from "../../src/config.js";
import type { Db, Store } from "../../src/persistence/db-client.js";
import { DEDUPE_KEY_KEEP_DAYS, deleteExpired } from "../../src/persistence/retention-store.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { chatter, inviteCode, NOW, seedAgency } from "./conversation-fixture.js";

/**
 * Issue 26, item 15: processed-update keys and outbox rows were kept for ever, and any stranger adds rows. The policy
 * deletes old keys, finished outbox rows and idle strangers, and never answers, their history, people or evidence.
 */
const DAY_MS = 24 * 60 * 60 * 1000;
const daysAgo = (days: number): Date => new Date(NOW.getTime() - days * DAY_MS);
const POLICY = retentionPolicy(loadConfig({}));

describe("the retention settings", () => {
  it("when nothing is set, then keys are kept 30 days, finished outbox rows 30 days and idle strangers 90 days", () => {
    expect(POLICY).toEqual({ processedUpdateDays: 30, outboxDays: 30, strangerDays: 90 });
  });

  it.each([
    ["RETENTION_PROCESSED_UPDATE_DAYS", "1"],
    ["RETENTION_OUTBOX_DAYS", "2"],
    ["RETENTION_STRANGER_DAYS", "soon"],
  ])("when %s is %j, then the service refuses to start", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  });
});

describe.each(databaseKinds)("the retention clean-up on $name", (kind) => {
  let database: TestDatabase;
  let db: Db;
  let store: Store;

  beforeAll(async () => {
    database = await kind.open();
    db = database.db;
    store = database;
  });
  afterAll(async () => {
    await database?.close();
  });

  const outbox = (id: string, status: string, createdAt: Date, dedupeKey: string | null = null) =>
    db.outboxMessage.create({ data: { id, channel: "telegram", chatId: "1", identityId: null, payload: "{}", status, createdAt, dedupeKey, lane: dedupeKey === null ? "interactive" : "proactive" } });

  it("when it runs, then only old keys, finished old outbox rows and idle strangers go; answers and their history stay", async () => {
    const { agency } = await seedAgency(store);
    const lead = await chatter(store, "kept-lead");
    expect(await lead.say(await inviteCode(db, agency.id, "lead"))).toContain("Đã liên kết");
    await lead.say("/continue");
    await lead.say("có");
    const answers = await db.answer.count();
    const changes = await db.answerChange.count();
    expect(answers).toBe(1);

    await db.processedUpdate.createMany({
      data: [
        { channel: "telegram", externalKey: "old", processedAt: daysAgo(31) },
        { channel: "telegram", externalKey: "recent", processedAt: daysAgo(29) },
      ],
    });
    await outbox("sent-old", "sent", daysAgo(31));
    await outbox("failed-old", "failed", daysAgo(40));
    await outbox("dropped-old", "dropped", daysAgo(31));
    await outbox("sent-recent", "sent", daysAgo(2));
    await outbox("pending-old", "pending", daysAgo(60));
    await outbox("sending-old", "sending", daysAgo(60));
    await outbox("reminder-old", "sent", daysAgo(60), "reminder:old");
    await outbox("reminder-ancient", "sent", daysAgo(DEDUPE_KEY_KEEP_DAYS + 1), "reminder:ancient");

    const stranger = (id: string, lastSeenAt: Date, personId: string | null = null) =>
      db.chatIdentity.create({ data: { id, channel: "zalo", externalUserId: id, chatId: id, lastSeenAt, personId } });
    await stranger("idle-stranger", daysAgo(91));
    await db.conversationState.create({ data: { identityId: "idle-stranger", state: "{}", version: 1 } });
    await stranger("recent-stranger", daysAgo(10));
    await stranger("idle-waiting", daysAgo(91));
    await db.outboxMessage.create({ data: { id: "waiting", channel: "zalo", chatId: "idle-waiting", identityId: "idle-waiting", payload: "{}", status: "pending", lane: "interactive", createdAt: daysAgo(1) } });
    const person = await db.person.create({ data: { displayName: "Quiet member" } });
    await stranger("idle-linked", daysAgo(400), person.id);

    const counts = await deleteExpired(db, POLICY, NOW);
    expect(counts).toEqual({ processedUpdates: 1, outboxRows: 4, strangers: 1 });
    expect((await db.processedUpdate.findMany({ where: { externalKey: { in: ["old", "recent"] } } })).map((r) => r.externalKey)).toEqual(["recent"]);
    expect((await db.outboxMessage.findMany({ where: { id: { in: ["sent-old", "failed-old", "dropped-old", "sent-recent", "pending-old", "sending-old", "reminder-old", "reminder-ancient", "waiting"] } }, orderBy: { id: "asc" } })).map((r) => r.id)).toEqual([
      "pending-old",
      "reminder-old",
      "sending-old",
      "sent-recent",
      "waiting",
    ]);
    expect((await db.chatIdentity.findMany({ where: { id: { in: ["idle-stranger", "recent-stranger", "idle-waiting", "idle-linked"] } }, orderBy: { id: "asc" } })).map((r) => r.id)).toEqual([
      "idle-linked",
      "idle-waiting",
      "recent-stranger",
    ]);
    expect(await db.conversationState.count({ where: { identityId: "idle-stranger" } })).toBe(0);
    expect(await db.answer.count()).toBe(answers);
    expect(await db.answerChange.count()).toBe(changes);
    expect(await db.person.count({ where: { id: person.id } })).toBe(1);

    // A second run finds nothing more.
    expect(await deleteExpired(db, POLICY, NOW)).toEqual({ processedUpdates: 0, outboxRows: 0, strangers: 0 });
  });

  it("when more keys expired than one batch holds, then every one of them goes", async () => {
    await db.processedUpdate.createMany({ data: Array.from({ length: 2500 }, (_, i) => ({ channel: "zalo", externalKey: `bulk-${i}`, processedAt: daysAgo(100) })) });
    expect((await deleteExpired(db, POLICY, NOW)).processedUpdates).toBe(2500);
    expect(await db.processedUpdate.count({ where: { externalKey: { startsWith: "bulk-" } } })).toBe(0);
  });

  it("when it is scheduled, then it runs at once and logs what it deleted", async () => {
    await db.processedUpdate.create({ data: { channel: "zalo", externalKey: "scheduled", processedAt: daysAgo(45) } });
    const logged: unknown[] = [];
    const loop = scheduleRetention({ db, policy: POLICY, clock: () => NOW, logger: { info: (entry: unknown) => void logged.push(entry), error: () => undefined } }, 60_000);
    await loop.stop();
    expect(logged).toEqual([{ processedUpdates: 1, outboxRows: 0, strangers: 0 }]);
  });
});
