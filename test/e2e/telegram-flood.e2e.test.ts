import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCallbackData } from "../../src/channels/telegram/callback-data.js";
import { TELEGRAM_SECRET_HEADER } from "../../src/channels/telegram/telegram-adapter.js";
import { TELEGRAM_LIMITS } from "../../src/domain/delivery/send-policy.js";
import { loadMessages } from "../../src/i18n/translator.js";
import { enqueue } from "../../src/persistence/outbox-store.js";
import { inviteCode, seedAgency, typingClock } from "../app/conversation-fixture.js";
import { databaseKinds } from "../support/databases.js";
import { buttonsOf, startFakeTelegram, TELEGRAM_FLOOD_CONTROL, type FakeTelegram, type RecordedCall } from "../support/fake-telegram.js";
import { startService, type RunningService } from "../support/service-harness.js";

/**
 * A whole assessment over the webhook against a Bot API that enforces flood control, with a person who answers the
 * moment each question arrives. Time runs ten times faster than on Telegram: the fake allows one message per chat
 * and then 10 a second (with exact, fractional retry_after), while the service is told 10 a second with a burst of
 * 3 — so its bursts meet 429s, and its handling of them (pause the chat for retry_after, send again) is what keeps
 * every question arriving once, in order.
 */

const TOKEN = "123:FLOOD";
const SECRET = "flood-secret-1";
const PERSON = { id: 7123456789, first_name: "Hà", language_code: "vi" };
const CHAT = { id: PERSON.id, type: "private", first_name: "Hà" };
const ALL_DONE = String((loadMessages("vi").answer as Record<string, unknown>).allDoneLead);
const PROGRESS = /^(\d+)\/43 · /m;

let fake: FakeTelegram;
let running: RunningService;
let updateId = 500_000;

beforeAll(async () => {
  fake = await startFakeTelegram({ floodControl: { chat: { burst: 1, perSecond: 10 }, bot: { burst: 30, perSecond: 30 }, exactRetryAfter: true } });
  running = await startService(
    { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url },
    { clock: typingClock(), deliveryLimits: { telegram: { ...TELEGRAM_LIMITS, chat: { burst: 3, perSecond: 10 } } } },
  );
});

afterAll(async () => {
  await running?.close();
  await fake?.close();
});

/** Posts an update, expects 200, and waits until what it queued is delivered (429 pauses included). */
async function post(update: Record<string, unknown>): Promise<unknown> {
  const res = await fetch(`${running.url}/webhooks/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", [TELEGRAM_SECRET_HEADER]: SECRET },
    body: JSON.stringify({ update_id: ++updateId, ...update }),
  });
  expect(res.status).toBe(200);
  const body: unknown = await res.json();
  await running.service.deliverer.deliverDue();
  return body;
}
const text = (t: string) => post({ message: { message_id: updateId, date: 1730768400, from: PERSON, chat: CHAT, text: t } });
const tap = (shown: RecordedCall, data: string) =>
  post({
    callback_query: { id: `cq-${updateId}`, from: PERSON, chat_instance: "1", data, message: { message_id: (shown.result as { message_id: number }).message_id, date: 1730768400, chat: CHAT } },
  });

const delivered = (): RecordedCall[] => fake.sent("sendMessage").filter((c) => c.body.chat_id === CHAT.id);

describe("Telegram under flood control", () => {
  it("when a person answers a whole assessment as fast as questions arrive, then 429s are waited out and every question arrives once, in order, for one request per answered question", async () => {
    const db = running.service.database.db;
    const store = running.service.database;
    const { agency } = await seedAgency(store);
    await text(`/start ${await inviteCode(db, agency.id, "lead")}`);
    // Three replies queued at once: within the service's burst, beyond the fake's single one, so at least one 429 however
    // slow the machine is; they still arrive once each, in order.
    const burst = ["một", "hai", "ba"];
    await db.$transaction((tx) => enqueue(tx, { channel: "telegram", chatId: String(CHAT.id), identityId: null }, burst.map((t) => ({ kind: "reply", reply: { text: t, choices: [], questionId: undefined } })), new Date("2024-01-01T00:00:00Z")));
    expect(await running.service.deliverer.deliverDue()).toBe(3);
    expect(fake.throttled()).toBeGreaterThan(0);
    expect(delivered().slice(-3).map((c) => c.body.text)).toEqual(burst);
    await text("/continue");
    const requestsBefore = fake.calls.length;
    const sentBefore = delivered().length;
    let updates = 0;
    let picks = 0;
    let ticked: string | undefined;
    for (let turn = 0; turn < 120; turn += 1) {
      const last = delivered().at(-1);
      if (last === undefined || String(last.body.text).includes(ALL_DONE)) break;
      const buttons = buttonsOf(last);
      updates += 1;
      if (buttons.length === 0) {
        await text("75");
        continue;
      }
      const done = buttons.find((b) => decodeCallbackData(b.callback_data)?.value === "done");
      const question = done === undefined ? undefined : decodeCallbackData(done.callback_data)?.questionId;
      if (done !== undefined && ticked !== question) {
        // Ticking an option is acknowledged on the button itself, in the webhook response: no message, no request.
        ticked = question;
        picks += 1;
        expect(await tap(last, buttons[0]?.callback_data ?? "")).toMatchObject({ method: "answerCallbackQuery", text: expect.stringMatching(/^Đã đánh dấu 1 phương án \(bấm “Xong” để lưu\): .+$/) });
        expect(delivered().at(-1)).toBe(last);
        continue;
      }
      // The tap's acknowledgement rides in the webhook response: not a request of the bot.
      expect(await tap(last, (done ?? buttons[0])?.callback_data ?? "")).toMatchObject({ method: "answerCallbackQuery" });
    }

    expect(await db.answer.count()).toBe(43);
    expect(picks).toBeGreaterThan(0);
    // Nothing lost or repeated: one reply per update that is not a tick, each delivered once.
    const replies = delivered().slice(sentBefore);
    expect(replies).toHaveLength(updates - picks);
    expect(new Set(replies.map((c) => (c.result as { message_id: number }).message_id)).size).toBe(updates - picks);
    // Order kept: the question numbers never go back.
    const numbers = replies.flatMap((c) => {
      const match = PROGRESS.exec(String(c.body.text));
      return match ? [Number(match[1])] : [];
    });
    expect(numbers.length).toBeGreaterThan(40);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    // Every 429 was followed by the same message, delivered.
    const calls = fake.calls.slice(requestsBefore);
    calls.forEach((call, i) => {
      if (call.outcome === 429) expect(calls.slice(i + 1).find((c) => c.outcome === "ok")?.body).toEqual(call.body);
    });
    // Exactly one accepted request per answered question (the 429s are counted above): no keyboard stripped, no reply
    // split, nothing for a tick. Every question's answer is one message, the next question.
    expect(calls.filter((c) => c.method === "editMessageReplyMarkup")).toEqual([]);
    expect(calls.filter((c) => c.outcome === "ok").length).toBe(updates - picks);
    expect(await db.outboxMessage.count({ where: { status: { not: "sent" } } })).toBe(0);
  });
});

describe.each(databaseKinds)("Telegram's documented limits, enforced exactly, on $name", (kind) => {
  it("when 50 people all start in the same second and then answer as people read, then the Bot API never answers 429 and every message is answered", async () => {
    // Telegram sees each request up to 30 ms off from when we sent it (network delays, its own clock).
    const documented = await startFakeTelegram({ floodControl: { ...TELEGRAM_FLOOD_CONTROL, jitterMs: 30 } });
    const database = await kind.open();
    // The service with its default limits: 90 % of Telegram's documented rates.
    const service = await startService({ DATABASE_URL: database.url, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: documented.url }, { clock: typingClock() });
    try {
      const db = service.service.database.db;
      const store = service.service.database;
      const { agency } = await seedAgency(store);
      const people = Array.from({ length: 50 }, (_, i) => 8_100_000_000 + i);
      const codes = await Promise.all(people.map(() => inviteCode(db, agency.id, "member")));
      const posted = new Map<number, number>();
      const say = async (person: number, t: string) => {
        posted.set(person, (posted.get(person) ?? 0) + 1);
        const res = await fetch(`${service.url}/webhooks/telegram`, {
          method: "POST",
          headers: { "content-type": "application/json", [TELEGRAM_SECRET_HEADER]: SECRET },
          body: JSON.stringify({ update_id: ++updateId, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), from: { id: person, first_name: "Lan" }, chat: { id: person, type: "private" }, text: t } }),
        });
        expect(res.status).toBe(200);
        // The person waits for the answer before reading on.
        const until = Date.now() + 20_000;
        while (documented.sent("sendMessage").filter((c) => c.body.chat_id === person).length < (posted.get(person) ?? 0) && Date.now() < until) {
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const read = () => new Promise((r) => setTimeout(r, 1500 + Math.random() * 3000));
      await Promise.all(
        people.map(async (person, i) => {
          // Joining: the invite code, and "continue" as soon as the welcome arrives.
          await say(person, `/start ${codes[i] ?? ""}`);
          await say(person, "tiếp tục");
          await read();
          await say(person, "có");
          await read();
          await say(person, "/help");
        }),
      );
      expect(documented.throttled()).toBe(0);
      for (const person of people) expect(documented.sent("sendMessage").filter((c) => c.body.chat_id === person).length).toBeGreaterThanOrEqual(3);
      // The last reply reached the platform; its row is marked sent once the platform's answer is back.
      const unsent = () => db.outboxMessage.count({ where: { status: { not: "sent" } } });
      for (const until = Date.now() + 5_000; (await unsent()) > 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 50));
      expect(await unsent()).toBe(0);
    } finally {
      await service.close();
      await documented.close();
      await database.close();
    }
  }, 60_000);
});
