import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InboundDeps } from "../../src/app/handle-inbound.js";
import { processUpdates } from "../../src/app/process-updates.js";
import type { ChannelAdapter, ParsedUpdate } from "../../src/channels/channel.js";
import { createTelegramAdapter } from "../../src/channels/telegram/telegram-adapter.js";
import { createZaloAdapter } from "../../src/channels/zalo/zalo-adapter.js";
import { createTranslator } from "../../src/i18n/translator.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { GENERATED_DIR, NOW } from "./conversation-fixture.js";
import { inboundStore } from "../../src/persistence/inbound-store.js";

const logger = pino({ level: "silent" });
/** No platform is called: these updates carry no attachment and replies are only queued. */
const zalo = createZaloAdapter({ token: "1:zalo", webhookSecret: "secret-123", apiBase: "http://127.0.0.1:9", evidenceDir: GENERATED_DIR });
const telegram = createTelegramAdapter({ token: "1:telegram", webhookSecret: "secret-123", apiRoot: "http://127.0.0.1:9", logger });
const zaloText = (sender: string, messageId: string, text: string, date = NOW.getTime()) => ({
  event_name: "message.text.received",
  message: { message_id: messageId, from: { id: sender, display_name: `Người ${sender}` }, chat: { id: sender, chat_type: "PRIVATE" }, text, date },
});

describe.each(databaseKinds)("handling parsed updates on $name", (kind) => {
  let database: TestDatabase;
  let inbound: InboundDeps;
  beforeEach(async () => {
    database = await kind.open();
    // Every update arrives at the same instant, as a backlog after an outage does.
    inbound = { port: inboundStore(database), db: database.db, translator: await createTranslator(), defaultLocale: "vi", clock: () => NOW, dataDir: GENERATED_DIR };
  });
  afterEach(async () => {
    await database.close();
  });

  const handle = (adapter: ChannelAdapter, updates: ParsedUpdate[]) => processUpdates(adapter, updates, { inbound, logger });
  const replies = async (chatId?: string) =>
    (await database.db.outboxMessage.findMany({ where: chatId === undefined ? {} : { chatId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map(
      (row) => (JSON.parse(row.payload) as { reply?: { text: string } }).reply?.text ?? "",
    );

  it("when two Zalo users' messages carry the same message id, then each gets an answer", async () => {
    await handle(zalo, zalo.parse(zaloText("u1", "same-id", "xin chào")));
    await handle(zalo, zalo.parse(zaloText("u2", "same-id", "xin chào")));
    expect(await replies("u1")).toHaveLength(1);
    expect(await replies("u2")).toHaveLength(1);
  });

  it("when a Zalo message handled before keys named the sender is redelivered, then it is still recognised", async () => {
    await database.db.processedUpdate.create({ data: { channel: "zalo", externalKey: "message.text.received:old-id", processedAt: NOW } });
    await handle(zalo, zalo.parse(zaloText("u1", "old-id", "xin chào")));
    expect(await replies()).toEqual([]);
  });

  it("when 15 messages written a minute apart arrive together after an outage, then every one is answered and none is cut as a flood", async () => {
    const updates = Array.from({ length: 15 }, (_, i) =>
      telegram.parse({
        update_id: 500 + i,
        message: { message_id: i + 1, date: NOW.getTime() / 1000 - (15 - i) * 60, from: { id: 42, is_bot: false, first_name: "Lan" }, chat: { id: 42, type: "private" }, text: `ghi chú ${i + 1}` },
      }),
    );
    for (const update of updates) await handle(telegram, update);
    const texts = await replies("42");
    expect(texts).toHaveLength(15);
    expect(texts.join("\n")).not.toContain("quá nhanh");
  });

  it("when a name holds a lone surrogate (not Unicode), then it is stored with the replacement character and the person answered as anyone", async () => {
    const update: ParsedUpdate = { kind: "event", eventKey: "odd-1", externalUserId: "u8", chatId: "c8", chatType: "private", displayName: "Lan\uD800", input: { kind: "text", text: "xin chào" } };
    await expect(handle(telegram, [update])).resolves.toMatchObject({ outbox: [expect.anything()] });
    expect(await replies("c8")).toEqual([expect.not.stringContaining("không lưu được tin nhắn này")]);
    expect(await database.db.chatIdentity.findFirstOrThrow({ where: { externalUserId: "u8" } })).toMatchObject({ displayName: "Lan\uFFFD" });
  });

  // SQLite stores NUL as it is; PostgreSQL refuses it in text.
  const unstorable: [string, { displayName: string; text: string }][] =
    kind.name === "postgres" ? [["a NUL in the name", { displayName: "Lan\u0000", text: "xin chào" }]] : [];
  it.skipIf(unstorable.length === 0).each(unstorable)("when an update that no database can store (%s) gets past the parser, then it is acknowledged once, recorded and answered", async (_label, content) => {
    const update: ParsedUpdate = { kind: "event", eventKey: "bad-1", externalUserId: "u9", chatId: "c9", chatType: "private", displayName: content.displayName, input: { kind: "text", text: content.text } };
    await expect(handle(telegram, [update])).resolves.toMatchObject({ outbox: [expect.anything()] });
    await expect(handle(telegram, [update])).resolves.toMatchObject({ outbox: [] });
    expect(await replies("c9")).toEqual([expect.stringContaining("không lưu được tin nhắn này")]);
    expect(await database.db.processedUpdate.count({ where: { externalKey: "bad-1" } })).toBe(1);
  });
});
