import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCallbackData } from "../../src/channels/telegram/callback-data.js";
import { TELEGRAM_SECRET_HEADER } from "../../src/channels/telegram/telegram-adapter.js";
import { TELEGRAM_LIMITS } from "../../src/domain/delivery/send-policy.js";
import { loadDefinitionFile, SHIPPED_DEFINITIONS_DIR } from "../../src/definitions/definition-files.js";
import { listCriteria } from "../../src/domain/questionnaire/definition-index.js";
import { loadMessages } from "../../src/i18n/translator.js";
import type { Db, Store } from "../../src/persistence/db-client.js";
import { inviteCode, seedAgency, typingClock } from "../app/conversation-fixture.js";
import { buttonsOf, startFakeTelegram, type FakeTelegram, type RecordedCall } from "../support/fake-telegram.js";
import { startService, type RunningService } from "../support/service-harness.js";
import { addAgency } from "../../src/persistence/agency-store.js";
import { expectSameReadings } from "./reading-examples.js";

/**
 * The Telegram channel end to end: the real service on a random port, its TELEGRAM_API_ROOT pointing at a fake Bot
 * API server on 127.0.0.1, webhooks POSTed as Telegram sends them, assertions on the calls the bot made and on the
 * database. Loopback only.
 */

const TOKEN = "123:TEST";
const SECRET = "s3cret-value";
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "telegram");
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as Record<string, unknown>;

/** Vietnamese texts, flattened, to recognise the bot's replies. */
const vi = (key: string): string => {
  const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], loadMessages("vi"));
  return String(value);
};
/** The fixed part of a text with {{placeholders}}: the longest piece between them. */
const fixedPart = (key: string): string => vi(key).split(/\{\{[^}]+\}\}/).sort((a, b) => b.length - a.length)[0] ?? "";

interface Person {
  readonly from: { id: number; is_bot: false; first_name: string; last_name?: string; language_code: string };
  readonly chat: { id: number; type: "private"; first_name: string };
}
const person = (id: number, first: string, last?: string): Person => ({
  from: { id, is_bot: false, first_name: first, ...(last ? { last_name: last } : {}), language_code: "vi" },
  chat: { id, type: "private", first_name: first },
});
const LAN = person(5123456789, "Lan", "Nguyễn Thị");
const MINH = person(6234567890, "Minh", "Trần");

let fake: FakeTelegram;
let running: RunningService;
let db: Db;
let store: Store;
let url: string;
let updateId = 900_000;
let code: string;

const now = () => Math.floor(Date.now() / 1000);
const textUpdate = (who: Person, text: string) => ({ update_id: ++updateId, message: { message_id: updateId, date: now(), from: who.from, chat: who.chat, text } });
const tapUpdate = (who: Person, shown: RecordedCall, data: string) => ({
  update_id: ++updateId,
  callback_query: {
    id: `cq-${updateId}`,
    from: who.from,
    chat_instance: "-2810347312468457391",
    message: { message_id: messageIdOf(shown), date: now(), chat: who.chat, text: shown.body.text },
    data,
  },
});
const photoUpdate = (who: Person, fileId: string) => ({
  update_id: ++updateId,
  message: {
    message_id: updateId,
    date: now(),
    from: who.from,
    chat: who.chat,
    photo: [
      { file_id: `${fileId}-small`, file_unique_id: "s", width: 90, height: 67, file_size: 1400 },
      { file_id: fileId, file_unique_id: "l", width: 1280, height: 960, file_size: 98000 },
    ],
  },
});

function messageIdOf(call: RecordedCall): number {
  const result = call.result as { message_id?: unknown } | undefined;
  if (typeof result?.message_id !== "number") throw new Error("the recorded call has no message id");
  return result.message_id;
}

async function post(body: unknown, headers: Record<string, string> = { [TELEGRAM_SECRET_HEADER]: SECRET }): Promise<Response> {
  return fetch(`${url}/webhooks/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Posts an update as Telegram would, expects 200, then lets the outbox deliver what it queued. */
async function send(update: unknown): Promise<void> {
  const res = await post(update);
  expect(res.status).toBe(200);
  await fake.webhookReply(TOKEN, await res.json());
  await running.service.deliverer.deliverDue();
}

const messagesTo = (who: Person | number): RecordedCall[] =>
  fake.sent("sendMessage").filter((c) => c.body.chat_id === (typeof who === "number" ? who : who.chat.id));
const lastTo = (who: Person): RecordedCall => {
  const last = messagesTo(who).at(-1);
  if (!last) throw new Error("nothing was sent to this chat");
  return last;
};
const PROGRESS = /(\d+)\/43 · (P[\d.]+) · /;

beforeAll(async () => {
  fake = await startFakeTelegram();
  running = await startService(
    { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url },
    // Every reading moves 3 s on, as a person typing. The person here answers as fast as the service replies, far
    // above Telegram's one a second per chat: the per-chat pace is lifted (telegram-flood.e2e.test.ts keeps it).
    { clock: typingClock(), deliveryLimits: { telegram: { ...TELEGRAM_LIMITS, chat: { burst: 1000, perSecond: 1000 } } } },
  );
  db = running.service.database.db;
  store = running.service.database;
  url = running.url;
  const { agency } = await seedAgency(store);
  code = await inviteCode(db, agency.id, "lead");
});

afterAll(async () => {
  await running?.close();
  await fake?.close();
});

describe("Telegram over the webhook, against a fake Bot API", () => {
  it("when a person opens the deep link (/start <code>), then they are linked to the agency in one tap", async () => {
    await send(textUpdate(LAN, `/start ${code}`));
    const identity = await db.chatIdentity.findUnique({ where: { channel_externalUserId: { channel: "telegram", externalUserId: String(LAN.from.id) } } });
    expect(identity).toMatchObject({ chatId: String(LAN.chat.id), displayName: "Lan Nguyễn Thị", reachable: true });
    expect(identity?.personId).not.toBeNull();
    const reply = String(lastTo(LAN).body.text);
    expect(reply).toContain(fixedPart("link.done.lead"));
    expect(reply).toContain("Báo Kiểm Thử");
    expect(fake.calls.every((c) => c.token === TOKEN)).toBe(true);
  });

  it("when the whole assessment is answered with button taps and typed numbers, then all 43 answers are stored and it is submitted", async () => {
    await send(textUpdate(LAN, "/continue"));
    const first = lastTo(LAN);
    expect(String(first.body.text)).toMatch(PROGRESS);
    expect(PROGRESS.exec(String(first.body.text))?.[2]).toBe("P1.1.1");

    // Evidence while P1.1.1 is open: a photo (largest size kept) and a document, both fetched with getFile and kept.
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
    const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(5000, 32)]);
    fake.addFile("AgACAgUAAxkBAAIBQ2cpLarge", jpeg);
    fake.addFile("BQACAgUAAxkBAAIBRGcpDoc", pdf);
    await send(photoUpdate(LAN, "AgACAgUAAxkBAAIBQ2cpLarge"));
    await send({ ...fixture("document"), update_id: ++updateId });
    const evidence = await db.evidence.findMany({ orderBy: { addedAt: "asc" } });
    expect(evidence.map((e) => [e.criterionId, e.kind, e.sizeBytes, e.contentType])).toEqual([
      ["P1.1.1", "photo", jpeg.length, "image/jpeg"],
      ["P1.1.1", "document", pdf.length, "application/pdf"],
    ]);
    expect(evidence[0]?.ref).toMatch(/^file:evidence\/[0-9a-f]{32}\.jpg$/);
    expect(evidence[1]?.ref).toMatch(/^file:evidence\/[0-9a-f]{32}\.pdf$/);
    expect(evidence[1]?.fileName).toBe("QĐ-kế-hoạch-CĐS-2024.pdf");
    expect(evidence[1]?.sha256).toBe(createHash("sha256").update(pdf).digest("hex"));

    const tapped: string[] = [];
    const tap = async (shown: RecordedCall, data: string): Promise<{ text?: string }> => {
      const update = tapUpdate(LAN, shown, data);
      tapped.push(update.callback_query.id);
      const res = await post(update);
      expect(res.status).toBe(200);
      // The tap is acknowledged in the webhook response itself: one Bot API request less per tap.
      const reply = (await res.json()) as { text?: string };
      expect(reply).toMatchObject({ method: "answerCallbackQuery", callback_query_id: update.callback_query.id });
      await fake.webhookReply(TOKEN, reply);
      await running.service.deliverer.deliverDue();
      return reply;
    };
    let ticked: string | undefined;
    let staleChecked = false;
    /** What the person did per question: taps and typed answers (the old-button change below is not counted). */
    let actions = 0;
    for (let step = 0; step < 150; step += 1) {
      const last = lastTo(LAN);
      const text = String(last.body.text);
      if (text.includes(vi("answer.allDoneLead"))) break;
      const buttons = buttonsOf(last);
      if (buttons.length === 0) {
        // A percentage question (no buttons) or a confirmation without a question: type the answer, or resume.
        await send(textUpdate(LAN, PROGRESS.test(text) ? "75" : "/continue"));
        if (PROGRESS.test(text)) actions += 1;
        continue;
      }
      for (const button of buttons) expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
      const choices = buttons.map((b) => ({ ...b, decoded: decodeCallbackData(b.callback_data) }));
      const questionId = choices[0]?.decoded?.questionId;
      expect(PROGRESS.exec(text)?.[2]).toBe(questionId);
      const done = choices.find((c) => c.decoded?.value === "done");
      if (done !== undefined && ticked !== questionId) {
        // A tick is shown on the button (the webhook response's notice), not as a message.
        ticked = questionId;
        const sentBefore = messagesTo(LAN).length;
        const notice = await tap(last, choices[0]?.callback_data ?? "");
        expect(notice.text).toBe(`Đã đánh dấu 1 phương án (bấm “Xong” để lưu): ${choices[0]?.text ?? ""}`);
        expect(messagesTo(LAN)).toHaveLength(sentBefore);
        actions += 1;
        continue;
      }
      await tap(last, (done ?? choices[0])?.callback_data ?? "");
      actions += 1;

      if (!staleChecked && questionId === "P1.1.1") {
        staleChecked = true;
        // A tap on P1.1.1's old keyboard, now that P1.1.2 is current: a change of P1.1.1, said so, and P1.1.2 again.
        const sentBefore = messagesTo(LAN).length;
        const no = buttonsOf(first).find((b) => decodeCallbackData(b.callback_data)?.value === "no");
        await tap(first, no?.callback_data ?? "");
        const notice = messagesTo(LAN).slice(sentBefore).map((c) => String(c.body.text));
        expect(notice).toHaveLength(1);
        expect(notice.join("\n")).toContain("✓ Đã đổi P1.1.1: Không");
        expect(PROGRESS.exec(notice.join("\n"))?.[2]).toBe("P1.1.2");
        expect((await db.answer.findMany({ where: { criterionId: "P1.1.1" } })).map((a) => a.value)).toEqual(["false"]);
      }
    }
    expect(staleChecked).toBe(true);
    // No more taps than the questions need: one per single answer, the picks plus "Xong" per several-choice question.
    const shipped = loadDefinitionFile(path.join(SHIPPED_DEFINITIONS_DIR, "press-dx-1827-2024.json"));
    const multis = listCriteria(shipped).filter((e) => e.criterion.answer.type === "multi").length;
    expect(actions).toBe(43 + multis);

    const answers = await db.answer.findMany();
    expect(answers).toHaveLength(43);
    expect(answers.every((a) => a.value !== null)).toBe(true);
    // No request is spent only to strip a keyboard: answered questions keep their buttons.
    expect(fake.calls.filter((c) => c.method === "editMessageReplyMarkup")).toEqual([]);
    // Every callback query was answered (in the webhook response, which Telegram carries out).
    await expect.poll(() => fake.sent("answerCallbackQuery").map((c) => c.body.callback_query_id), { timeout: 5_000 }).toEqual(expect.arrayContaining(tapped));

    await send(textUpdate(LAN, "/submit"));
    const confirm = lastTo(LAN);
    const yes = buttonsOf(confirm).find((b) => decodeCallbackData(b.callback_data)?.value === "yes");
    expect(decodeCallbackData(yes?.callback_data)?.questionId).toBe("confirm");
    await tap(confirm, yes?.callback_data ?? "");
    expect(String(lastTo(LAN).body.text)).toContain(fixedPart("submit.done"));
    const [assessment] = await db.assessment.findMany();
    expect(assessment?.status).toBe("submitted");
  });

  it("when Telegram redelivers an update, then the webhook answers 200 and nothing changes or is sent", async () => {
    const update = textUpdate(LAN, "/score");
    await send(update);
    const calls = fake.calls.length;
    const processed = await db.processedUpdate.count();
    const outbox = await db.outboxMessage.count();
    await send(update);
    expect(fake.calls.length).toBe(calls);
    expect(await db.processedUpdate.count()).toBe(processed);
    expect(await db.outboxMessage.count()).toBe(outbox);
  });

  it.each<[string, Record<string, string>]>([
    ["a wrong secret", { [TELEGRAM_SECRET_HEADER]: "wrong-secret" }],
    ["no secret", {}],
  ])("when a request carries %s, then it gets 401 and nothing is stored or sent", async (_case, headers) => {
    const processed = await db.processedUpdate.count();
    const res = await post(textUpdate(MINH, "/start"), headers);
    expect(res.status).toBe(401);
    await running.service.deliverer.deliverDue();
    expect(await db.processedUpdate.count()).toBe(processed);
    expect(await db.chatIdentity.count({ where: { externalUserId: String(MINH.from.id) } })).toBe(0);
    expect(messagesTo(MINH)).toEqual([]);
  });

  it.each<[string, string, number]>([
    ["malformed JSON", '{"update_id": 1, "message": {', 400],
    ["a body over 1 MB", JSON.stringify({ update_id: 77, message: { text: "x".repeat(1_100_000) } }), 413],
  ])("when the body is %s, then the answer is %d and nothing is stored", async (_case, body, status) => {
    const processed = await db.processedUpdate.count();
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(await db.processedUpdate.count()).toBe(processed);
  });

  it("when the Bot API answers 429 once, then the reply is delivered after retry_after, exactly once", async () => {
    fake.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1 });
    const before = fake.calls.length;
    await send(textUpdate(LAN, "/progress"));
    const sends = fake.calls.slice(before).filter((c) => c.method === "sendMessage");
    expect(sends.map((c) => c.outcome)).toEqual([429, "ok"]);
    expect(sends[0]?.body).toEqual(sends[1]?.body);
    const rows = await db.outboxMessage.findMany({ where: { chatId: String(LAN.chat.id) }, orderBy: { createdAt: "desc" }, take: 1 });
    expect(rows[0]?.status).toBe("sent");
  });

  it("when the person blocked the bot (403), then their identity is marked unreachable and the message is not retried", async () => {
    fake.failForChat("sendMessage", MINH.chat.id, { error_code: 403, description: "Forbidden: bot was blocked by the user" });
    await send(textUpdate(MINH, "xin chào"));
    const identity = await db.chatIdentity.findUnique({ where: { channel_externalUserId: { channel: "telegram", externalUserId: String(MINH.from.id) } } });
    expect(identity?.reachable).toBe(false);
    const rows = await db.outboxMessage.findMany({ where: { chatId: String(MINH.chat.id) } });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status === "failed")).toBe(true);
    expect(fake.calls.filter((c) => c.body.chat_id === MINH.chat.id).every((c) => c.outcome === 403)).toBe(true);
    fake.clear();
  });

  it("when someone writes in a group, then /start gets a hint to write privately and other text is ignored", async () => {
    const group = fixture("group-message") as { message: Record<string, unknown> };
    const groupChat = group.message.chat as { id: number };
    await send({ ...group, update_id: ++updateId });
    expect(messagesTo(groupChat.id).map((c) => c.body.text)).toEqual([vi("group.privateOnly")]);
    await send({ update_id: ++updateId, message: { ...group.message, message_id: 3022, text: "Mọi người nhớ nhập liệu nhé" } });
    await send({ ...fixture("channel-post"), update_id: ++updateId });
    expect(messagesTo(groupChat.id)).toHaveLength(1);
    expect(fake.sent("sendMessage").filter((c) => Number(c.body.chat_id) < 0)).toHaveLength(1);
    expect(await db.chatIdentity.count({ where: { externalUserId: "6234567890", chatId: String(groupChat.id) } })).toBe(0);
  });

  it.each(["edited-message", "my-chat-member", "unknown-update"])("when a %s update arrives, then it is acknowledged and nothing is sent", async (name) => {
    const calls = fake.calls.length;
    await send({ ...fixture(name), update_id: ++updateId });
    expect(fake.calls.slice(calls)).toEqual([]);
  });

  it("when a person blocks the bot and later unblocks it, then their identity is marked unreachable and reachable again", async () => {
    await send(textUpdate(LAN, "/help"));
    const blocked = fixture("my-chat-member") as { my_chat_member: { new_chat_member: { status: string } } };
    await send({ ...blocked, update_id: ++updateId });
    expect(await db.chatIdentity.findFirstOrThrow({ where: { channel: "telegram", externalUserId: String(LAN.from.id) } })).toMatchObject({ reachable: false });
    const unblocked = { ...blocked, my_chat_member: { ...blocked.my_chat_member, new_chat_member: { ...blocked.my_chat_member.new_chat_member, status: "member" } } };
    await send({ ...unblocked, update_id: ++updateId });
    expect(await db.chatIdentity.findFirstOrThrow({ where: { channel: "telegram", externalUserId: String(LAN.from.id) } })).toMatchObject({ reachable: true });
  });

  it("when a sticker arrives, then the person is told what the assistant can read", async () => {
    await send({ ...fixture("sticker"), update_id: ++updateId });
    expect(String(lastTo(LAN).body.text)).toContain(vi("input.unsupported"));
  });

  it("when the Bot API is slow, then the webhook is still answered at once (the reply goes out afterwards)", async () => {
    fake.delay("sendMessage", 2_000);
    const started = Date.now();
    const res = await post(textUpdate(LAN, "/help"));
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(elapsed).toBeLessThan(1_500);
    const sent = messagesTo(LAN).length;
    await running.service.deliverer.deliverDue();
    expect(messagesTo(LAN).length).toBeGreaterThan(sent);
    fake.clear();
  });

  it("when the service logged all of this, then the bot token appears nowhere in the logs", () => {
    expect(running.logs.text()).not.toContain(TOKEN);
  });
});

// Last: this agency's answers must not be counted by the tests above, which read answers across agencies.
describe("Telegram replies in people's own words", () => {
  it("when a member types issue 21's examples in their own words, then each is read exactly as in the terminal chat", async () => {
    const { agency } = await addAgency(db, { name: "Tạp chí Lời Tự Nhiên", province: "Hà Nội", group: "local-newspaper", type: "magazine" });
    const hoa = person(7345678901, "Hoa");
    await send(textUpdate(hoa, `/start ${await inviteCode(db, agency.id, "member")}`));
    // Dated 3 s apart, as a person types: a burst dated in one second would be cut by the flood limit.
    let typedAt = now() - 600;
    const say = async (text: string): Promise<string> => {
      const before = messagesTo(hoa).length;
      typedAt += 3;
      const update = textUpdate(hoa, text);
      await send({ ...update, message: { ...update.message, date: typedAt } });
      return messagesTo(hoa).slice(before).map((c) => String(c.body.text)).join("\n\n");
    };
    await expectSameReadings(db, agency.id, say);
  });
});
