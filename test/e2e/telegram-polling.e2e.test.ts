import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCallbackData } from "../../src/channels/telegram/callback-data.js";
import { inviteCode, seedAgency, typingClock } from "../app/conversation-fixture.js";
import { buttonsOf, startFakeTelegram, type FakeTelegram, type RecordedCall } from "../support/fake-telegram.js";
import { startService, type RunningService } from "../support/service-harness.js";

/**
 * Telegram in polling mode (`TELEGRAM_MODE=polling`, local development): there is no webhook response to carry a
 * tap's answer, so it goes out as its own answerCallbackQuery request — with the tick's notice, like the webhook's.
 */

const TOKEN = "123:POLL";
const PERSON = { id: 7300000001, first_name: "Lan", language_code: "vi" };
const CHAT = { id: PERSON.id, type: "private", first_name: "Lan" };

let fake: FakeTelegram;
let running: RunningService;
let updateId = 900_000;

beforeAll(async () => {
  fake = await startFakeTelegram();
  running = await startService({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: "polling", TELEGRAM_API_ROOT: fake.url }, { clock: typingClock() });
  running.service.start();
});

afterAll(async () => {
  await running?.close();
  await fake?.close();
});

const messages = (): RecordedCall[] => fake.sent("sendMessage").filter((c) => c.body.chat_id === CHAT.id);
/** Hands the update to getUpdates and waits until the service has sent `count` messages into the chat in all. */
async function say(text: string, count: number): Promise<RecordedCall> {
  fake.queueUpdates({ update_id: ++updateId, message: { message_id: updateId, date: 1730768400, from: PERSON, chat: CHAT, text } });
  await expect.poll(() => messages().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
  return messages()[count - 1] as RecordedCall;
}
function tap(shown: RecordedCall, data: string): string {
  const id = `poll-${++updateId}`;
  fake.queueUpdates({ update_id: updateId, callback_query: { id, from: PERSON, chat_instance: "1", data, message: { message_id: (shown.result as { message_id: number }).message_id, date: 1, chat: CHAT } } });
  return id;
}

describe("Telegram in polling mode", () => {
  it("when an option of a several-choice question is ticked, then the notice goes out as answerCallbackQuery and no message is sent", async () => {
    const db = running.service.database.db;
    const store = running.service.database;
    const { agency } = await seedAgency(store);
    await say(`/start ${await inviteCode(db, agency.id, "lead")}`, 1);
    const question = await say("1.2.3", 2);
    expect(String(question.body.text)).toContain("P1.2.3");
    const buttons = buttonsOf(question);
    const first = buttons[0];
    const done = buttons.find((b) => decodeCallbackData(b.callback_data)?.value === "done");
    expect(first && done).toBeTruthy();

    const tick = tap(question, first?.callback_data ?? "");
    await expect
      .poll(() => fake.sent("answerCallbackQuery").find((c) => c.body.callback_query_id === tick)?.body.text, { timeout: 10_000 })
      .toBe(`Đã đánh dấu 1 phương án (bấm “Xong” để lưu): ${first?.text ?? ""}`);
    expect(messages()).toHaveLength(2);

    const save = tap(question, done?.callback_data ?? "");
    await expect.poll(() => messages().length, { timeout: 10_000 }).toBe(3);
    await expect.poll(() => fake.sent("answerCallbackQuery").some((c) => c.body.callback_query_id === save && c.body.text === undefined), { timeout: 10_000 }).toBe(true);
    const stored = await db.answer.findMany({ where: { criterionId: "P1.2.3" } });
    expect(stored.map((a) => JSON.parse(a.value ?? "null") as unknown)).toEqual([[decodeCallbackData(first?.callback_data)?.value]]);
  });
});
