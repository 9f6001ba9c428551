import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutboxDeliverer } from "../../src/app/outbox/deliverer.js";
import { SendError, type ChannelAdapter, type OutboundMessage } from "../../src/channels/channel.js";
import { claimDue } from "../../src/persistence/outbox-claim.js";
import { enqueue, OUTBOX_LEASE_MS } from "../../src/persistence/outbox-store.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { recordingPlatform, type Recorded } from "../support/recording-channel.js";

/** A channel that records what it was asked to send, and fails on demand: the deliverer's view of a platform. */
function recordingChannel() {
  const sent: Recorded[] = [];
  const failures: SendError[] = [];
  const adapter = recordingPlatform(sent, () => failures.shift());
  return { adapter, sent, failures };
}

const reply = (text: string): OutboundMessage => ({ kind: "reply", reply: { text, choices: [], questionId: undefined } });
const silent = pino({ level: "silent" });

describe.each(databaseKinds)("outbox delivery on $name", (kind) => {
  let database: TestDatabase;
  let now: Date;
  const clock = () => now;
  // The send policy's clock: it moves only when the deliverer sleeps, so waits are exact and take no time.
  let monotonic = 0;
  const slept: number[] = [];
  const sleep = async (ms: number) => {
    slept.push(ms);
    monotonic += ms;
    now = new Date(now.getTime() + ms);
  };
  beforeEach(async () => {
    database = await kind.open();
    now = new Date("2024-11-05T03:00:00Z");
    monotonic = 0;
    slept.length = 0;
  });
  afterEach(async () => {
    await database.close();
  });

  const queue = (chatId: string, texts: string[], identityId: string | null = null) =>
    database.db.$transaction((tx) => enqueue(tx, { channel: "telegram", chatId, identityId }, texts.map(reply), now));
  const deliverer = (adapter: ChannelAdapter) =>
    createOutboxDeliverer({ store: database, adapters: [adapter], logger: silent, clock, sleep, monotonicMs: () => monotonic });

  it("when messages are queued for two chats, then each chat receives its own in order and rows are marked sent", async () => {
    await queue("a", ["a1", "a2", "a3"]);
    await queue("b", ["b1", "b2"]);
    const channel = recordingChannel();
    expect(await deliverer(channel.adapter).deliverDue()).toBe(5);
    expect(channel.sent.filter((m) => m.chatId === "a").map((m) => m.text)).toEqual(["a1", "a2", "a3"]);
    expect(channel.sent.filter((m) => m.chatId === "b").map((m) => m.text)).toEqual(["b1", "b2"]);
    expect(await database.db.outboxMessage.count({ where: { status: "sent" } })).toBe(5);
    expect(await deliverer(channel.adapter).deliverDue()).toBe(0);
  });

  it("when the platform throttles, then that chat pauses for retry-after, the message is delivered once, and other chats go on", async () => {
    await queue("a", ["a1", "a2"]);
    await queue("b", ["b1"]);
    const channel = recordingChannel();
    channel.failures.push(new SendError("throttled", "429", 3000));
    expect(await deliverer(channel.adapter).deliverDue()).toBe(3);
    expect(channel.sent.map((m) => m.text)).toEqual(["b1", "a1", "a2"]);
    expect(slept).toContain(3000);
    expect(await database.db.outboxMessage.findMany({ select: { status: true, attempts: true } })).toEqual(Array.from({ length: 3 }, () => ({ status: "sent", attempts: 0 })));
  });

  it("when the platform asks for a pause longer than the worker holds a message, then the row goes back to the table until then", async () => {
    await queue("a", ["hello"]);
    const channel = recordingChannel();
    channel.failures.push(new SendError("throttled", "429", 90_000));
    const d = deliverer(channel.adapter);
    expect(await d.deliverDue()).toBe(0);
    expect(await database.db.outboxMessage.findFirstOrThrow()).toMatchObject({ status: "pending", attempts: 1 });
    now = new Date(now.getTime() + 91_000);
    monotonic += 91_000;
    expect(await d.deliverDue()).toBe(1);
    expect(channel.sent.map((m) => m.text)).toEqual(["hello"]);
  });

  it("when a reminder and replies are queued together, then the replies go at once and the reminder at its own pace", async () => {
    await database.db.outboxMessage.create({
      data: { channel: "telegram", chatId: "r", payload: JSON.stringify(reply("reminder")), dedupeKey: "reminder:x", lane: "proactive", nextAttemptAt: now, createdAt: now },
    });
    await queue("r", ["reply"]);
    const channel = recordingChannel();
    expect(await deliverer(channel.adapter).deliverDue()).toBe(2);
    // The reminder waits until the person's reply bucket is full again (a second after the reply).
    expect(channel.sent.map((m) => m.text)).toEqual(["reply", "reminder"]);
  });

  it("when the person blocked the bot, then the message fails for good and the identity is marked unreachable", async () => {
    const identity = await database.db.chatIdentity.create({ data: { channel: "telegram", externalUserId: "42", chatId: "42" } });
    await queue("42", ["hello"], identity.id);
    const channel = recordingChannel();
    channel.failures.push(new SendError("blocked", "403"));
    await deliverer(channel.adapter).deliverDue();
    expect(await database.db.outboxMessage.findFirstOrThrow()).toMatchObject({ status: "failed" });
    expect(await database.db.chatIdentity.findUniqueOrThrow({ where: { id: identity.id } })).toMatchObject({ reachable: false });
    now = new Date(now.getTime() + 3_600_000);
    expect(await deliverer(channel.adapter).deliverDue()).toBe(0);
  });

  it("when a sender died after claiming rows, then another sends them once the lease has run out", async () => {
    await queue("a", ["orphan"]);
    expect(await claimDue(database, ["telegram"], now, 10)).toHaveLength(1);
    const channel = recordingChannel();
    expect(await deliverer(channel.adapter).deliverDue()).toBe(0);
    now = new Date(now.getTime() + OUTBOX_LEASE_MS + 1000);
    expect(await deliverer(channel.adapter).deliverDue()).toBe(1);
  });

  it("when marking a sent message fails for a while (a busy pool), then it is marked later and never sent again", async () => {
    await queue("a", ["once"]);
    const channel = recordingChannel();
    let refusals = 2;
    const busy = {
      ...database.sql,
      run: (statement: Parameters<typeof database.sql.run>[0]) =>
        statement.sql.includes(`"status" = 'sent'`) && refusals-- > 0 ? Promise.reject(new Error("timeout exceeded when trying to connect")) : database.sql.run(statement),
    };
    const sender = createOutboxDeliverer({ store: { db: database.db, sql: busy }, adapters: [channel.adapter], logger: silent, clock, sleep, monotonicMs: () => monotonic });
    expect(await sender.deliverDue()).toBe(1);
    expect(refusals).toBeLessThan(0);
    expect(await database.db.outboxMessage.findFirstOrThrow()).toMatchObject({ status: "sent" });
    now = new Date(now.getTime() + OUTBOX_LEASE_MS + 1000);
    expect(await deliverer(channel.adapter).deliverDue()).toBe(0);
    expect(channel.sent.map((m) => m.text)).toEqual(["once"]);
  });

  it("when two senders run at the same time, then every message is delivered exactly once", async () => {
    for (let chat = 0; chat < 40; chat += 1) await queue(`c${chat}`, ["1", "2", "3", "4", "5"]);
    const one = recordingChannel();
    const two = recordingChannel();
    const [a, b] = await Promise.all([deliverer(one.adapter).deliverDue(), deliverer(two.adapter).deliverDue()]);
    expect(a + b).toBe(200);
    const all = [...one.sent, ...two.sent].map((m) => `${m.chatId}/${m.text}`);
    expect(new Set(all).size).toBe(200);
    expect(await database.db.outboxMessage.count({ where: { status: "sent" } })).toBe(200);
  });
});
