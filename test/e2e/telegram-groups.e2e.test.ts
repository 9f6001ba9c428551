import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TELEGRAM_SECRET_HEADER } from "../../src/channels/telegram/telegram-adapter.js";
import { typingClock } from "../app/conversation-fixture.js";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { startService, type RunningService } from "../support/service-harness.js";

/** Issue 26, items 6 and 8: group commands meant for another bot, forum topics, and a message without a sender. */
const TOKEN = "123:GROUPS";
const SECRET = "groups-secret-value";
const BOT = "TroLyCDSNhomBot";
const GROUP = -1002233445566;

describe("Telegram groups, topics and senders over the webhook", () => {
  let fake: FakeTelegram;
  let running: RunningService;
  let updateId = 700_000;

  beforeAll(async () => {
    fake = await startFakeTelegram();
    running = await startService({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url, TELEGRAM_BOT_USERNAME: BOT }, { clock: typingClock() });
  });
  afterAll(async () => {
    await running?.close();
    await fake?.close();
  });

  const send = async (message: Record<string, unknown>): Promise<void> => {
    updateId += 1;
    const res = await fetch(`${running.url}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", [TELEGRAM_SECRET_HEADER]: SECRET },
      body: JSON.stringify({ update_id: updateId, message: { message_id: updateId, date: 1730775600, ...message } }),
    });
    expect(res.status).toBe(200);
    await running.service.deliverer.deliverDue();
  };
  const from = { id: 6234567890, is_bot: false, first_name: "Minh" };
  const chat = { id: GROUP, type: "supergroup", title: "CĐS", is_forum: true };
  const toGroup = () => fake.sent("sendMessage").filter((c) => c.body.chat_id === GROUP);

  it("when /start and /help name another bot in a group, then nothing is sent", async () => {
    await send({ from, chat, text: "/start@OtherBot" });
    await send({ from, chat, text: "/help@OtherBot" });
    expect(toGroup()).toHaveLength(0);
  });

  it("when /start names this bot inside a forum topic, then the hint goes to that topic", async () => {
    await send({ from, chat, text: `/start@${BOT}`, is_topic_message: true, message_thread_id: 42 });
    expect(toGroup().map((c) => c.body.message_thread_id)).toEqual([42]);
  });

  it("when a message has no sender and chat 0, then nothing is stored and nothing sent", async () => {
    const calls = fake.calls.length;
    await send({ chat: { id: 0, type: "private" }, text: "/start" });
    await send({ chat: { id: 7, type: "private" }, text: "/start" });
    expect(fake.calls.length).toBe(calls);
    const db = running.service.database.db;
    expect(await db.chatIdentity.count()).toBe(0);
    expect(await db.conversationState.count()).toBe(0);
  });
});
