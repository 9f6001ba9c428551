import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutboxDeliverer, type DelivererDeps } from "../../src/app/outbox/deliverer.js";
import { SendError, type ChannelAdapter, type OutboundMessage } from "../../src/channels/channel.js";
import { enqueue, OUTBOX_LEASE_MS, type OutboxEntry } from "../../src/persistence/outbox-store.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { recordingPlatform } from "../support/recording-channel.js";

/**
 * The outbox's promises about order and memory, against a channel that fails on demand: a chat's messages arrive in
 * the order they were queued whatever fails (500s, resets, 429s short and long, several senders), a row held in memory
 * is never claimed again, memory holds at most its cap, replies go before reminders, and stop() hands everything back.
 */

type Failure = (chatId: string, text: string) => SendError | undefined;

const platform = recordingPlatform;

/** A small deterministic generator (mulberry32), so a storm is the same storm on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const reply = (text: string): OutboundMessage => ({ kind: "reply", reply: { text, choices: [], questionId: undefined } });
const silent = pino({ level: "silent" });

/** Pairs of consecutive messages of one chat that arrived the other way round. */
function outOfOrderPairs(log: readonly { chatId: string; text: string }[]): number {
  const last = new Map<string, number>();
  let wrong = 0;
  for (const { chatId, text } of log) {
    const n = Number(text.split("/")[1]);
    if ((last.get(chatId) ?? -1) > n) wrong += 1;
    last.set(chatId, Math.max(n, last.get(chatId) ?? -1));
  }
  return wrong;
}

describe.each(databaseKinds)("outbox order and memory on $name", (kind) => {
  let database: TestDatabase;
  let now: Date;
  let monotonic = 0;
  const sleep = async (ms: number) => {
    monotonic += ms;
    now = new Date(now.getTime() + ms);
  };
  const advance = (ms: number) => sleep(ms);
  beforeEach(async () => {
    database = await kind.open();
    now = new Date("2024-11-05T03:00:00Z");
    monotonic = 0;
  });
  afterEach(async () => {
    await database.close();
  });

  const deliverer = (adapter: ChannelAdapter, more: Partial<DelivererDeps> = {}) =>
    createOutboxDeliverer({ store: database, adapters: [adapter], logger: silent, clock: () => now, sleep, monotonicMs: () => monotonic, ...more });
  /** What a webhook does: queue the replies leased to this sender, in one transaction. */
  const answer = (chatId: string, texts: string[]): Promise<OutboxEntry[]> =>
    database.db.$transaction((tx) => enqueue(tx, { channel: "telegram", chatId, identityId: null }, texts.map(reply), now, { leased: true }));
  const unsent = () => database.db.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } });

  it("when the first send of question 2 fails with a 500 and the person answers again 300 ms later, then question 2 arrives before question 3", async () => {
    const log: { chatId: string; text: string }[] = [];
    let failures = 1;
    const d = deliverer(platform(log, () => (failures-- > 0 ? new SendError("network", "500 Internal Server Error") : undefined)));
    d.deliverClaimed(await answer("42", ["q/2"]));
    expect(await d.deliverDue()).toBe(0);
    await advance(300);
    d.deliverClaimed(await answer("42", ["q/3"]));
    expect(await d.deliverDue()).toBe(0);
    expect(log).toEqual([]);
    await advance(5_000);
    expect(await d.deliverDue()).toBe(2);
    expect(log.map((m) => m.text)).toEqual(["q/2", "q/3"]);
  });

  it("when a 429 asks for longer than a message is held in memory, then the chat's later replies wait for it", async () => {
    const log: { chatId: string; text: string }[] = [];
    let failures = 1;
    const d = deliverer(platform(log, () => (failures-- > 0 ? new SendError("throttled", "429", 70_000) : undefined)));
    d.deliverClaimed(await answer("42", ["q/2"]));
    await d.deliverDue();
    for (const n of [3, 4, 5, 6, 7]) {
      await advance(2_000);
      d.deliverClaimed(await answer("42", [`q/${n}`]));
      d.deliverClaimed(await answer("43", [`other/${n}`]));
      await d.deliverDue();
    }
    // Other chats went on meanwhile; this chat's replies all wait behind question 2.
    expect(log.filter((m) => m.chatId === "43")).toHaveLength(5);
    expect(log.filter((m) => m.chatId === "42")).toEqual([]);
    await advance(70_000);
    await d.deliverDue();
    expect(log.filter((m) => m.chatId === "42").map((m) => m.text)).toEqual(["q/2", "q/3", "q/4", "q/5", "q/6", "q/7"]);
  });

  it("when a storm of random 429s, 500s and resets hits 500 reply pairs, then no pair arrives out of order and nothing twice", async () => {
    const log: { chatId: string; text: string }[] = [];
    const next = random(20241105);
    const fail: Failure = () => {
      const r = next();
      if (r < 0.08) return new SendError("throttled", "429", Math.ceil(next() * 60) * 1000);
      if (r < 0.16) return new SendError("network", "500 Internal Server Error");
      if (r < 0.22) return new SendError("network", "ECONNRESET");
      return undefined;
    };
    const d = deliverer(platform(log, fail));
    const CHATS = 100;
    const ROUNDS = 6;
    for (let round = 0; round < ROUNDS; round += 1) {
      for (let chat = 0; chat < CHATS; chat += 1) d.deliverClaimed(await answer(`c${chat}`, [`m/${round}`]));
      await d.deliverDue();
      await advance(Math.round(next() * 3_000));
    }
    for (let pass = 0; pass < 40 && (await unsent()) > 0; pass += 1) {
      await advance(30_000);
      await d.deliverDue();
    }
    expect(await database.db.outboxMessage.count({ where: { status: "failed" } })).toBe(0);
    expect(log).toHaveLength(CHATS * ROUNDS);
    expect(new Set(log.map((m) => `${m.chatId}:${m.text}`)).size).toBe(CHATS * ROUNDS);
    expect(outOfOrderPairs(log)).toBe(0);
  });

  it("when two senders share the table and sends fail at random, then every chat's messages arrive once and in order", async () => {
    const log: { chatId: string; text: string }[] = [];
    const next = random(7);
    const fail: Failure = () => (next() < 0.15 ? new SendError("network", "ECONNRESET") : undefined);
    for (let chat = 0; chat < 30; chat += 1) {
      await database.db.$transaction((tx) => enqueue(tx, { channel: "telegram", chatId: `c${chat}`, identityId: null }, [0, 1, 2, 3, 4].map((n) => reply(`m/${n}`)), now));
    }
    const one = deliverer(platform(log, fail));
    const two = deliverer(platform(log, fail));
    for (let pass = 0; pass < 40 && (await unsent()) > 0; pass += 1) {
      await Promise.all([one.deliverDue(), two.deliverDue()]);
      await advance(30_000);
    }
    expect(log).toHaveLength(150);
    expect(new Set(log.map((m) => `${m.chatId}:${m.text}`)).size).toBe(150);
    expect(outOfOrderPairs(log)).toBe(0);
  });

  it("when a message waits in memory longer than a lease, then its lease is renewed and no other sender claims it", async () => {
    const log: { chatId: string; text: string }[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const slow = platform(log, () => undefined, () => (first ? ((first = false), held) : Promise.resolve()));
    const a = deliverer(slow, { leaseRenewMs: 10 });
    a.deliverClaimed(await answer("42", ["q/1"]));
    await advance(OUTBOX_LEASE_MS * 3);
    // Renewed against the moved clock: the lease reaches past it again.
    for (let i = 0; i < 200; i += 1) {
      const row = await database.db.outboxMessage.findFirstOrThrow();
      if (row.nextAttemptAt > now) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const b = deliverer(platform(log));
    expect(await b.deliverDue()).toBe(0);
    release();
    expect(await a.deliverDue()).toBe(1);
    expect(log.map((m) => m.text)).toEqual(["q/1"]);
  });

  it("when more is due than memory may hold, then at most the cap is held and the rest waits in the table", async () => {
    const log: { chatId: string; text: string }[] = [];
    for (let chat = 0; chat < 30; chat += 1) await database.db.$transaction((tx) => enqueue(tx, { channel: "telegram", chatId: `c${chat}`, identityId: null }, [reply("m/0")], now));
    let peak = 0;
    const counting = platform(log, () => undefined, async () => {
      peak = Math.max(peak, await database.db.outboxMessage.count({ where: { status: "sending" } }));
    });
    const d = deliverer(counting, { maxHeld: { interactive: 5, proactive: 5 } });
    expect(await d.deliverDue()).toBe(30);
    expect(peak).toBeLessThanOrEqual(5);
    expect(peak).toBeGreaterThan(0);
  });

  it("when a reply is retried with hundreds of reminders queued, then it goes before them, and a throttled reminder holds no other back", async () => {
    const log: { chatId: string; text: string }[] = [];
    for (let i = 0; i < 300; i += 1) {
      await database.db.outboxMessage.create({
        data: { channel: "telegram", chatId: `r${i}`, payload: JSON.stringify(reply(`reminder/${i}`)), dedupeKey: `reminder:${i}`, lane: "proactive", nextAttemptAt: now, createdAt: now },
      });
    }
    await advance(1);
    // A reply that failed once and is due for its retry now, queued after all of them.
    await database.db.$transaction((tx) => enqueue(tx, { channel: "telegram", chatId: "42", identityId: null }, [reply("q/2")], now));
    await database.db.outboxMessage.updateMany({ where: { chatId: "42" }, data: { attempts: 1, lastError: "network: 500" } });
    const fail: Failure = (chatId) => (chatId === "r7" ? new SendError("throttled", "429", 70_000) : undefined);
    const d = deliverer(platform(log, fail));
    await d.deliverDue();
    // Claimed ahead of the 300 reminders due before it: among the first messages out, not behind the backlog.
    const at = log.findIndex((m) => m.chatId === "42");
    expect(at).toBeGreaterThanOrEqual(0);
    expect(at).toBeLessThan(3);
    // The throttled reminder went back to the table until its retry_after; every other one was delivered meanwhile.
    expect(log.filter((m) => m.chatId.startsWith("r"))).toHaveLength(299);
    expect(await database.db.outboxMessage.findFirstOrThrow({ where: { chatId: "r7" } })).toMatchObject({ status: "pending", attempts: 1 });
  });

  it("when the sender stops with messages waiting, then every row is handed back at once and the next sender delivers them in order", async () => {
    const log: { chatId: string; text: string }[] = [];
    const never = new Promise<void>(() => undefined);
    const stuck = platform(log, () => undefined, () => never);
    const a = deliverer(stuck);
    a.deliverClaimed(await answer("42", ["q/1", "q/2", "q/3"]));
    a.deliverClaimed(await answer("43", ["q/1"]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await a.stop();
    expect(await database.db.outboxMessage.count({ where: { status: "sending" } })).toBe(0);
    expect(await unsent()).toBe(4);
    const b = deliverer(platform(log));
    expect(await b.deliverDue()).toBe(4);
    expect(log.filter((m) => m.chatId === "42").map((m) => m.text)).toEqual(["q/1", "q/2", "q/3"]);
  });
});
