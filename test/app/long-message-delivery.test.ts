import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOutboxDeliverer } from "../../src/app/outbox/deliverer.js";
import { createTelegramAdapter } from "../../src/channels/telegram/telegram-adapter.js";
import { createZaloAdapter } from "../../src/channels/zalo/zalo-adapter.js";
import { createZaloClient } from "../../src/channels/zalo/zalo-client.js";
import { enqueue } from "../../src/persistence/outbox-store.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { startFakeZalo, type FakeZalo } from "../support/fake-zalo.js";

/** A text of `paragraphs` numbered lines of ~1,000 characters: several messages on either platform. */
const longText = (paragraphs: number): string =>
  Array.from({ length: paragraphs }, (_, i) => `Đoạn ${i + 1}: ${"nội dung chuyển đổi số ".repeat(45)}`).join("\n");

let telegram: FakeTelegram;
let zalo: FakeZalo;
beforeAll(async () => {
  telegram = await startFakeTelegram();
  zalo = await startFakeZalo({ token: "1:zalo-long", pollWaitMs: 50 });
});
afterAll(async () => {
  await telegram.close();
  await zalo.close();
});

describe.each(databaseKinds)("a long reply split into several messages, on $name", (kind) => {
  let database: TestDatabase;
  let now: Date;
  beforeEach(async () => {
    database = await kind.open();
    now = new Date("2024-11-05T03:00:00Z");
    telegram.clear();
    zalo.calls.length = 0;
  });
  afterEach(async () => {
    await database.close();
  });

  const deliver = (adapter: Parameters<typeof createOutboxDeliverer>[0]["adapters"][number]) =>
    createOutboxDeliverer({ store: database, adapters: [adapter], logger: pino({ level: "silent" }), clock: () => now, sleep: async () => undefined });
  const queue = (channel: "telegram" | "zalo", text: string) =>
    database.db.$transaction((tx) => enqueue(tx, { channel, chatId: "42", identityId: null }, [{ kind: "reply", reply: { text, choices: [], questionId: undefined } }], now));

  it("when Telegram fails on the second part, then the retry sends the rest and never repeats the first", async () => {
    const text = longText(9);
    await queue("telegram", text);
    const adapter = createTelegramAdapter({ token: "9:long", apiRoot: telegram.url, sendDeadlineMs: 2000 });
    telegram.failNext("sendMessage", { error_code: 500, description: "Internal Server Error" }, 1, 1);
    const deliverer = deliver(adapter);
    expect(await deliverer.deliverDue()).toBe(0);
    const row = await database.db.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ status: "pending", attempts: 1, sentParts: 1 });
    now = new Date(now.getTime() + 60_000);
    expect(await deliverer.deliverDue()).toBe(1);
    const parts = telegram.sent("sendMessage").map((c) => String(c.body.text));
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(parts).size).toBe(parts.length);
    const words = (t: string) => t.replace(/\s+/g, " ").trim();
    expect(words(parts.join("\n"))).toBe(words(text));
  });

  it("when a long reply goes out under flood control, then each part waits for a slot of its own and none meets a 429", async () => {
    await queue("telegram", longText(9));
    // The platform: one request a chat per 100 ms, no burst. The sender: one per 200 ms — half the platform's rate.
    telegram.setFloodControl({ chat: { burst: 1, perSecond: 10 }, bot: { burst: 30, perSecond: 30 }, exactRetryAfter: true });
    const adapter = createTelegramAdapter({ token: "9:paced", apiRoot: telegram.url, sendDeadlineMs: 2000 });
    const limits = { chat: { perSecond: 5, burst: 1 }, bot: { perSecond: 30, burst: 15 }, proactive: { perSecond: 1, chatPerSecond: 1, botHeadroom: 1 } };
    try {
      const deliverer = createOutboxDeliverer({ store: database, adapters: [adapter], logger: pino({ level: "silent" }), clock: () => now, limits: { telegram: limits } });
      expect(await deliverer.deliverDue()).toBe(1);
      expect(telegram.sent("sendMessage").length).toBeGreaterThanOrEqual(3);
      expect(telegram.throttled()).toBe(0);
    } finally {
      telegram.setFloodControl(null);
    }
  });

  it("when Zalo fails on the third part, then the retry starts at the third", async () => {
    const text = longText(7);
    await queue("zalo", text);
    const adapter = createZaloAdapter({
      token: "1:zalo-long", webhookSecret: undefined, apiBase: zalo.url, evidenceDir: "/nonexistent",
      client: createZaloClient({ token: "1:zalo-long", apiBase: zalo.url, sleep: async () => undefined, retry: { attempts: 1 } }),
    });
    zalo.failNext({ status: 500, method: "sendMessage", afterCalls: 2 });
    const deliverer = deliver(adapter);
    await deliverer.deliverDue();
    expect(await database.db.outboxMessage.findFirstOrThrow()).toMatchObject({ status: "pending", sentParts: 2 });
    now = new Date(now.getTime() + 60_000);
    expect(await deliverer.deliverDue()).toBe(1);
    const parts = zalo.sentTexts("42");
    expect(parts.length).toBeGreaterThanOrEqual(4);
    expect(new Set(parts).size).toBe(parts.length);
  });
});
